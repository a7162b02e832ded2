using System.Diagnostics;
using System.Globalization;

namespace FaceGallery.Benchmarks;

/// <summary>
/// Wall-clock and process-CPU time per invocation of the same benchmarks. On a machine shared with other
/// builds the wall clock also counts time the cores spent on other processes; CPU time does not (though it
/// does count ONNX Runtime's worker threads spinning while they wait for work).
/// </summary>
internal static class CpuTimeProbe
{
    public static void Run(double seconds)
    {
        Console.WriteLine("| benchmark | runs | wall ms/op | CPU ms/op | wall ms/face | CPU ms/face | GFLOP/s (wall) | GFLOP per CPU-second |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var batch in new[] { 1, 8, 32 })
        {
            var embedder = new EmbedderBenchmarks { Batch = batch };
            embedder.Setup();
            Measure($"Embed batch {batch}", batch, 2.0 * PerFaceConfig.MultiplyAddsPerFaceValue * batch, seconds, () => embedder.Embed());
            embedder.Dispose();
        }

        var matmul = new MatMulBenchmarks { N = 1024 };
        matmul.Setup();
        Measure("MatMul 1024", 0, 2.0 * 1024 * 1024 * 1024, seconds, matmul.MatMul);
        matmul.Dispose();
    }

    private static void Measure(string name, int faces, double flops, double seconds, Action operation)
    {
        var (runs, wallMs, cpuMs) = CpuTimer.Measure(seconds, operation);
        string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
        var perFace = faces > 0 ? $"{F(wallMs / faces)} | {F(cpuMs / faces)}" : "- | -";
        Console.WriteLine($"| {name} | {runs} | {F(wallMs)} | {F(cpuMs)} | {perFace} | {F(flops / wallMs / 1e6)} | {F(flops / cpuMs / 1e6)} |");
    }
}
