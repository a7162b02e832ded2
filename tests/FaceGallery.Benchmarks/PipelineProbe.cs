using System.Diagnostics;
using System.Globalization;
using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Detection;
using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Imaging;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceGallery.Benchmarks;

/// <summary>
/// The whole face pipeline (decode, detect, landmarks, chip, quality, embed) over dlib's example photos,
/// by wall clock and process CPU time, with 1 and 4 concurrent callers; then what the embedder's dynamic
/// batching buys: 16 concurrent single-chip callers with batching on (up to 32) and off (batch 1).
/// </summary>
internal static class PipelineProbe
{
    public static async Task RunAsync(double seconds)
    {
        var root = FindRoot();
        var models = Path.Combine(root, "models");
        using var sessions = new OnnxSessionFactory(
            Options.Create(new OnnxRuntimeOptions { ModelsPath = models, Accelerator = Accelerator.Cpu }), NullLogger<OnnxSessionFactory>.Instance);
        var decoder = new ImageDecoder();
        FaceAnalyzer NewAnalyzer(FaceEmbedder embedder) => new(decoder, new BlazeFaceDetector(sessions, Options.Create(new BlazeFaceOptions())),
            new ShapePredictor(LandmarkModelLoader.Load(models, "dlib-shape-predictor-5")), embedder,
            new LearnedFaceQuality(sessions, Options.Create(new FaceQualityOptions())),
            Options.Create(new FaceAnalyzerOptions()), NullLogger<FaceAnalyzer>.Instance);
        var photos = Directory.GetFiles(Path.Combine(root, "tests", "data", "dlib", "photos"), "*.jpg")
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();

        Console.WriteLine("| case | callers | wall s | faces | faces/s (wall) | CPU ms/face |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        await using (var embedder = Embedder(sessions, maxBatch: 32))
        {
            var analyzer = NewAnalyzer(embedder);
            foreach (var callers in new[] { 1, 4 })
            {
                await MeasureAsync($"pipeline, {photos.Length} photos", callers, seconds, async i =>
                {
                    var faces = await analyzer.AnalyzeAndEmbedAsync(photos[i % photos.Length], CancellationToken.None);
                    return faces.Count;
                });
            }
        }

        var chips = JohnsChips.Load(55);
        foreach (var maxBatch in new[] { 32, 1 })
        {
            await using var embedder = Embedder(sessions, maxBatch);
            await MeasureAsync($"embedder only, batching {(maxBatch > 1 ? "on (≤32)" : "off")}", 16, seconds, async i =>
            {
                await embedder.EmbedAsync(chips[i % chips.Length], CancellationToken.None);
                return 1;
            });
        }
    }

    private static FaceEmbedder Embedder(OnnxSessionFactory sessions, int maxBatch) =>
        new(sessions, Options.Create(new FaceEmbedderOptions { MaxBatchSize = maxBatch }), NullLogger<FaceEmbedder>.Instance);

    private static async Task MeasureAsync(string name, int callers, double seconds, Func<int, Task<int>> operation)
    {
        await operation(0);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var faces = 0;
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (wall.Elapsed.TotalSeconds < seconds)
            {
                Interlocked.Add(ref faces, await operation(Interlocked.Increment(ref next)));
            }
        })));
        wall.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
        string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
        Console.WriteLine($"| {name} | {callers} | {F(wall.Elapsed.TotalSeconds)} | {faces} | {F(faces / wall.Elapsed.TotalSeconds)} | {F(cpu / Math.Max(1, faces))} |");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FaceGallery.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("FaceGallery.sln not found");
    }
}
