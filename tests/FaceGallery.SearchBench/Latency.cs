using System.Diagnostics;

namespace FaceGallery.SearchBench;

/// <summary>Collects per-query wall times; percentiles by nearest rank.</summary>
public sealed class Latency
{
    private readonly List<double> milliseconds = [];

    public int Count => milliseconds.Count;

    public void Add(long startTimestamp) => milliseconds.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    private double Percentile(double q) =>
        milliseconds.Count == 0 ? double.NaN : CosineSummary.Percentile([.. milliseconds.Order()], q);
}
