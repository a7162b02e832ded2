using System.Text.Json.Nodes;
using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FaceGallery.Faces.Tests;

/// <summary>
/// The whole photo → descriptor path (BlazeFace → dlib 5 points → chip → ResNet) against dlib's own
/// (HOG detector → 5 points → chip → ResNet) descriptors in tests/data/dlib/faces.json. Distances are
/// Euclidean between the networks' raw (unnormalised) outputs, dlib's convention (same person &lt; 0.6).
/// </summary>
public sealed class PipelineDescriptorParityTests(FacePipelineFixture fixture, ITestOutputHelper output) : IClassFixture<FacePipelineFixture>
{
    private const double Closeness = 0.2;
    private const double RequiredShare = 0.9;

    [Fact]
    public async Task Pipeline_descriptors_lie_within_0_2_of_dlibs_for_nine_in_ten_of_the_faces_dlib_finds()
    {
        using var sessions = new OnnxSessionFactory(
            Options.Create(new OnnxRuntimeOptions { ModelsPath = Path.Combine(TestPaths.RepoRoot, "models"), Accelerator = Accelerator.Cpu }),
            NullLogger<OnnxSessionFactory>.Instance);
        await using var embedder = new FaceEmbedder(sessions, Options.Create(new FaceEmbedderOptions()), NullLogger<FaceEmbedder>.Instance);
        var reference = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepoRoot, "tests", "data", "dlib", "faces.json")))!;
        var distances = new List<double>();
        var dlibFaces = 0;
        foreach (var photo in reference["photos"]!.AsArray())
        {
            var faces = fixture.Analyzer.Analyze(fixture.Decode(Path.Combine(TestPaths.RepoRoot, "tests", "data", "dlib", (string)photo!["file"]!)), CancellationToken.None);
            var ours = faces.Count == 0 ? [] : await embedder.EmbedAsync(faces.Select(f => f.AlignedChip).ToArray(), CancellationToken.None);
            foreach (var face in photo["faces"]!.AsArray())
            {
                dlibFaces++;
                // Ours matches when its centre lies inside dlib's box.
                var b = face!["box"]!;
                double[] box = [(double)b["left"]!, (double)b["top"]!, (double)b["right"]!, (double)b["bottom"]!];
                var match = faces.Select((f, i) => (f, i)).FirstOrDefault(x =>
                    x.f.Box.Center.X >= box[0] && x.f.Box.Center.X <= box[2] && x.f.Box.Center.Y >= box[1] && x.f.Box.Center.Y <= box[3]);
                if (match.f is null)
                {
                    continue;
                }

                var expected = face["descriptor"]!.AsArray().Select(v => (float)v!).ToArray();
                distances.Add(Math.Sqrt(expected.Zip(ours[match.i], (a, b) => (double)(a - b) * (a - b)).Sum()));
            }
        }

        distances.Sort();
        var close = distances.Count(d => d < Closeness);
        output.WriteLine($"dlib found {dlibFaces} faces; pipeline matched {distances.Count}; within {Closeness}: {close} " +
            $"({(double)close / dlibFaces:P0}); median {distances[distances.Count / 2]:F3}, max {distances[^1]:F3}");
        Assert.True(dlibFaces >= 30);
        Assert.True(close >= RequiredShare * dlibFaces, $"{close} of {dlibFaces} within {Closeness}");
    }
}
