using System.Globalization;

namespace FaceGallery.SearchBench;

/// <summary>Mean, spread and percentiles of a set of cosine similarities.</summary>
public sealed record CosineSummary(int Count, double Mean, double StdDev, double P01, double P50, double P99)
{
    public static CosineSummary Of(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        var mean = sorted.Average();
        var std = Math.Sqrt(sorted.Sum(v => (v - mean) * (v - mean)) / sorted.Length);
        return new CosineSummary(sorted.Length, mean, std, Percentile(sorted, 0.01), Percentile(sorted, 0.5), Percentile(sorted, 0.99));
    }

    /// <summary>Nearest-rank percentile of an ascending array.</summary>
    public static double Percentile(double[] sorted, double q) =>
        sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"n={Count} mean={Mean:F3} sd={StdDev:F3} p1={P01:F3} p50={P50:F3} p99={P99:F3}");
}
