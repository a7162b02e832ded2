using System.Diagnostics;
using System.Globalization;

namespace FaceGallery.Benchmarks;

/// <summary>
/// Wall-clock and process-CPU time of one descriptor recompute per set size, from the same set-up as
/// <see cref="SetAggregationBenchmarks"/>. On a shared machine the CPU column is the one to read for the
/// shape of the curve: it does not count time other processes held the cores.
/// </summary>
internal static class SetAggregationCpuTime
{
    public static void Run(double seconds)
    {
        Console.WriteLine("| faces | runs | wall ms/op | CPU ms/op | CPU µs/face | quality-mean CPU ms/op |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var faces in new[] { 1, 10, 100, 1_000, 10_000 })
        {
            var bench = new SetAggregationBenchmarks { Faces = faces };
            bench.Setup();
            var (runs, wallMs, cpuMs) = CpuTimer.Measure(seconds, () => bench.FaceCoresetNet());
            var (_, _, meanCpuMs) = CpuTimer.Measure(Math.Min(seconds, 1.0), () => bench.QualityMean());
            bench.Dispose();
            string F(double v) => v.ToString(v < 0.1 ? "F4" : "F2", CultureInfo.InvariantCulture);
            Console.WriteLine($"| {faces} | {runs} | {F(wallMs)} | {F(cpuMs)} | {F(cpuMs * 1000 / faces)} | {F(meanCpuMs)} |");
        }
    }
}
