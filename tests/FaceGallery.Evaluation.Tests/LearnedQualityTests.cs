using FaceGallery.Cli.Evaluation;
using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Onnx;
using FaceGallery.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FaceGallery.Evaluation.Tests;

public sealed class LearnedQualityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Clean_held_out_chips_score_above_their_heavily_degraded_copies_and_all_scores_lie_in_0_1()
    {
        var models = Path.Combine(RepoPaths.Root, "models");
        using var sessions = new OnnxSessionFactory(Options.Create(new OnnxRuntimeOptions { ModelsPath = models, Accelerator = Accelerator.Cpu }), NullLogger<OnnxSessionFactory>.Instance);
        using var embedder = new FaceEmbedder(sessions, Options.Create(new FaceEmbedderOptions()), NullLogger<FaceEmbedder>.Instance);
        var quality = new LearnedFaceQuality(sessions, Options.Create(new FaceQualityOptions()));
        Assert.Equal("quality-dlib128-v2", quality.Name);
        var factory = new RealFaceFactory(embedder, quality);
        // John_Simm and John_Shimkus were held out of the quality model's training.
        var chips = RealChips.Load(Path.Combine(RepoPaths.Root, "tests", "data", "dlib"))
            .Where(c => c.Person is "John_Simm" or "John_Shimkus")
            .GroupBy(c => c.Person)
            .SelectMany(g => g.Take(3))
            .ToArray();
        Degradation[][] variants =
        [
            [],
            [new Degradation(DegradationKind.DownScale, 0.9)],
            [new Degradation(DegradationKind.Blur, 1.0)],
            [new Degradation(DegradationKind.Noise, 1.0)],
        ];
        var wins = 0;
        var comparisons = 0;
        foreach (var chip in chips)
        {
            var faces = await factory.MakeAsync(chip.Image, variants, new Random(3), CancellationToken.None);
            Assert.All(faces, f => Assert.InRange(f.Quality, 0f, 1f));
            output.WriteLine($"{chip.File}: " + string.Join(", ", faces.Select(f => f.Quality.ToString("F3", System.Globalization.CultureInfo.InvariantCulture))));
            for (var i = 1; i < faces.Count; i++)
            {
                comparisons++;
                wins += faces[0].Quality > faces[i].Quality ? 1 : 0;
            }
        }

        Assert.True(wins == comparisons, $"clean beat degraded in {wins} of {comparisons} comparisons");
    }
}
