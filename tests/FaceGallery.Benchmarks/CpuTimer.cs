using System.Diagnostics;

namespace FaceGallery.Benchmarks;

/// <summary>
/// Wall and CPU time per run of an operation, repeated for at least <c>seconds</c> (and 3 runs) after
/// one warm-up. CPU time is what stays comparable on a machine shared with other work.
/// </summary>
internal static class CpuTimer
{
    public static (int Runs, double WallMs, double CpuMs) Measure(double seconds, Action operation)
    {
        operation();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var runs = 0;
        while (wall.Elapsed.TotalSeconds < seconds || runs < 3)
        {
            operation();
            runs++;
        }

        wall.Stop();
        process.Refresh();
        return (runs, wall.Elapsed.TotalMilliseconds / runs, (process.TotalProcessorTime - cpuStart).TotalMilliseconds / runs);
    }
}
