using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FaceGallery.Cli.Evaluation;
using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceGallery.Cli.Commands;

/// <summary>
/// `eval build-real --out DIR`: from the real chips of tests/data/dlib writes
/// `quality-data.jsonl` (every chip clean and degraded 28 ways: embedding, cues, v1 score, and the target =
/// cosine of the degraded embedding to the clean one) and two benchmark files, `real.jsonl` (stills with
/// random degradations and simulated clips) and `clips.jsonl` (one good still + a long poor clip drifting
/// towards another person). Qualities in the benchmarks come from `--quality v1|learned`.
/// </summary>
public static class BuildRealCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the files.", Required = true };
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Folder with johns/ and chips/.",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("tests", "data", "dlib")),
        };
        var quality = new Option<string>("--quality") { Description = "Quality of benchmark faces: v1 or learned.", DefaultValueFactory = _ => FaceQualityOptions.V1Estimator };
        quality.AcceptOnlyFromAmong(FaceQualityOptions.V1Estimator, FaceQualityOptions.LearnedEstimator);
        var seed = new Option<int>("--seed") { Description = "Seed of every random draw.", DefaultValueFactory = _ => 5 };
        var command = new Command("build-real", "Write the real-chip quality data and benchmark files.") { output, data, quality, seed };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(data)!.FullName, parse.GetValue(output)!.FullName, parse.GetValue(quality)!, parse.GetValue(seed), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string dataDirectory, string outputDirectory, string qualityName, int seed, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        var chips = RealChips.Load(dataDirectory);
        using var sessions = new OnnxSessionFactory(Options.Create(new OnnxRuntimeOptions { Accelerator = Accelerator.Cpu }), NullLogger<OnnxSessionFactory>.Instance);
        using var embedder = new FaceEmbedder(sessions, Options.Create(new FaceEmbedderOptions()), NullLogger<FaceEmbedder>.Instance);
        var learned = qualityName == FaceQualityOptions.LearnedEstimator
            ? new LearnedFaceQuality(sessions, Options.Create(new FaceQualityOptions()))
            : null;
        var faces = new RealFaceFactory(embedder, learned);
        await WriteQualityDataAsync(faces, chips, Path.Combine(outputDirectory, "quality-data.jsonl"), seed, cancellationToken);
        var builder = new RealTemplateBuilder(faces, chips.Where(RealChips.IsDistinctIdentity).ToArray(), seed);
        await WriteLinesAsync(Path.Combine(outputDirectory, "real.jsonl"), await builder.MixedAsync(cancellationToken), cancellationToken);
        await WriteLinesAsync(Path.Combine(outputDirectory, "clips.jsonl"), await builder.SwampedAsync(cancellationToken), cancellationToken);
        return 0;
    }

    private static async Task WriteQualityDataAsync(RealFaceFactory faces, IReadOnlyList<RealChip> chips, string path, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var lines = new List<string>();
        double[] strengths = [0.25, 0.5, 0.75, 1.0];
        var kinds = Enum.GetValues<DegradationKind>().Where(k => k != DegradationKind.None).ToArray();
        foreach (var chip in chips)
        {
            var variants = new List<Degradation[]> { Array.Empty<Degradation>() };
            foreach (var kind in kinds)
            {
                variants.AddRange(strengths.Select(s => new[] { new Degradation(kind, s) }));
            }

            for (var i = 0; i < 4; i++)
            {
                variants.Add(
                [
                    new Degradation(kinds[random.Next(kinds.Length)], random.NextDouble()),
                    new Degradation(kinds[random.Next(kinds.Length)], random.NextDouble()),
                ]);
            }

            var made = await faces.MakeAsync(chip.Image, variants, random, cancellationToken);
            var clean = made[0].Embedding;
            for (var v = 0; v < made.Count; v++)
            {
                var face = made[v];
                lines.Add(JsonSerializer.Serialize(new
                {
                    source = chip.File,
                    group = chip.Group,
                    degradation = string.Join('+', variants[v].Select(d => d.ToString())),
                    target = Cosine(face.Embedding, clean),
                    v1 = face.V1,
                    cues = face.Cues,
                    embedding = face.Embedding,
                }));
            }
        }

        await File.WriteAllLinesAsync(path, lines, cancellationToken);
    }

    private static async Task WriteLinesAsync(string path, IEnumerable<BenchmarkTemplate> templates, CancellationToken cancellationToken) =>
        await File.WriteAllLinesAsync(path, templates.Select(t => JsonSerializer.Serialize(t)), cancellationToken);

    internal static float Cosine(float[] a, float[] b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
