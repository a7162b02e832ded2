using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using FaceGallery.Cli.Evaluation;
using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceGallery.Cli.Commands;

/// <summary>
/// `eval build-real --out DIR`: from the real chips of tests/data/dlib writes
/// `quality-data.jsonl` (see <see cref="QualityDataWriter"/>: every real face and its mirror image, clean and
/// degraded 45 ways: embedding, cues, v1 score, and the target = cosine of the degraded embedding to the clean one) and two benchmark files, `real.jsonl` (stills with
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
        var benchmarksOnly = new Option<bool>("--benchmarks-only") { Description = "Write only real.jsonl and clips.jsonl (the quality data does not depend on --quality)." };
        var command = new Command("build-real", "Write the real-chip quality data and benchmark files.") { output, data, quality, seed, benchmarksOnly };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(data)!.FullName, parse.GetValue(output)!.FullName, parse.GetValue(quality)!, parse.GetValue(seed), !parse.GetValue(benchmarksOnly), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(string dataDirectory, string outputDirectory, string qualityName, int seed, bool qualityData, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        var chips = RealChips.Load(dataDirectory);
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddFaceAnalysis();
        services.Configure<OnnxRuntimeOptions>(o => o.Accelerator = Accelerator.Cpu);
        services.Configure<FaceQualityOptions>(o => o.Estimator = qualityName);
        await using var provider = services.BuildServiceProvider();
        var faces = new RealFaceFactory(provider.GetRequiredService<IFaceEmbedder>(), provider.GetRequiredService<IFaceQualityEstimator>());
        if (qualityData)
        {
            var sources = QualitySources(chips, dataDirectory, provider.GetRequiredService<FaceAnalyzer>(), cancellationToken);
            await new QualityDataWriter(faces, seed).WriteAsync(sources, Path.Combine(outputDirectory, "quality-data.jsonl"), cancellationToken);
        }

        var builder = new RealTemplateBuilder(faces, chips.Where(RealChips.IsDistinctIdentity).ToArray(), seed);
        await WriteLinesAsync(Path.Combine(outputDirectory, "real.jsonl"), await builder.MixedAsync(cancellationToken), cancellationToken);
        await WriteLinesAsync(Path.Combine(outputDirectory, "clips.jsonl"), await builder.SwampedAsync(cancellationToken), cancellationToken);
        return 0;
    }

    /// <summary>
    /// Every real face: the labelled and photo chips (held out by person, photo chips by photo), plus the
    /// faces our own detector finds in photos/ that have no dlib chip (dlib's HOG detector found none there),
    /// with their true source resolution.
    /// </summary>
    private static List<QualitySource> QualitySources(IReadOnlyList<RealChip> chips, string dataDirectory, FaceAnalyzer analyzer, CancellationToken cancellationToken)
    {
        var sources = chips.Select(c => new QualitySource(c.File, c.Group, c.Person ?? Photo(c.Group), c.Image, 1.0)).ToList();
        var chipped = chips.Where(c => c.Person is null).Select(c => Photo(c.Group)).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(dataDirectory, "photos"), "*.jpg").Order(StringComparer.Ordinal))
        {
            var photo = Path.GetFileNameWithoutExtension(file);
            if (chipped.Contains(photo))
            {
                continue;
            }

            var found = analyzer.Analyze(File.ReadAllBytes(file), cancellationToken);
            for (var i = 0; i < found.Count; i++)
            {
                var resolution = found[i].Landmarks.InterOcularDistance / FaceQualityEstimator.ChipInterOcularDistance;
                sources.Add(new QualitySource(Path.GetRelativePath(dataDirectory, file) + $"#{i}", $"{photo}_d{i}", photo, found[i].Chip, Math.Min(1, resolution)));
            }
        }

        return sources;
    }

    /// <summary>`2008_001322_2` → `2008_001322`: the photo a chip was cut from.</summary>
    private static string Photo(string chipName) => chipName[..chipName.LastIndexOf('_')];

    private static async Task WriteLinesAsync(string path, IEnumerable<BenchmarkTemplate> templates, CancellationToken cancellationToken) =>
        await File.WriteAllLinesAsync(path, templates.Select(t => JsonSerializer.Serialize(t)), cancellationToken);

    internal static float Cosine(float[] a, float[] b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);

    internal static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
