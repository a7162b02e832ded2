using FaceGallery.LoadTests.Driving;

namespace FaceGallery.LoadTests.Reporting;

/// <summary>
/// What an add-silo run showed: the windows before the new silo was started and after it was Active,
/// side by side, and whether identities were placed on it. Only meaningful when a silo joined during the
/// measured phase; otherwise <see cref="Analyse"/> answers null.
/// </summary>
public static class ScaleOutAnalysis
{
    /// <summary>The first seconds are warm-up (connection pools, JIT of rarely used paths) and would flatter "after".</summary>
    private const int WarmUpSeconds = 3;

    public static ScaleOutReport? Analyse(IReadOnlyList<ChaosEvent> chaos, RunMeasurements m)
    {
        var started = chaos.FirstOrDefault(c => c.Kind == "action" && c.Event.StartsWith("start silo", StringComparison.Ordinal));
        if (started is null || m.Cluster.Count == 0)
        {
            return null;
        }

        var original = m.Cluster.First(c => c.AtSeconds >= 0).Silos.Keys.ToHashSet(StringComparer.Ordinal);
        var added = m.Cluster.SelectMany(c => c.Silos.Keys).FirstOrDefault(k => !original.Contains(k));
        double? activeAt = added is null ? null
            : m.Cluster.FirstOrDefault(c => c.Silos.TryGetValue(added, out var s) && s.Status == "Active")?.AtSeconds;
        double? firstActivationAt = added is null ? null
            : m.Cluster.FirstOrDefault(c => c.Silos.TryGetValue(added, out var s) && s.Activations > 0)?.AtSeconds;
        var end = m.Elapsed.TotalSeconds;
        var before = Window(m.Seconds, WarmUpSeconds, started.AtS);
        var after = activeAt is { } from ? Window(m.Seconds, from + 1, end) : null;
        var last = m.Cluster[^1].Silos;
        int? addedActivations = added is not null && last.TryGetValue(added, out var seen) ? seen.Activations : null;
        var allActivations = last.Values.Sum(s => s.Activations ?? 0);
        return new ScaleOutReport(
            started.AtS,
            added,
            activeAt is { } a ? Math.Round(a - started.AtS, 1) : null,
            firstActivationAt is { } f ? Math.Round(f - started.AtS, 1) : null,
            addedActivations,
            allActivations,
            before,
            after);
    }

    private static WindowReport? Window(IReadOnlyList<SecondBucket> seconds, double from, double to)
    {
        var inside = seconds.Where(s => s.Second >= from && s.Second + 1 <= to).ToArray();
        if (inside.Length == 0)
        {
            return null;
        }

        var latency = LoadRecorder.NewHistogram(2);
        foreach (var s in inside)
        {
            latency.Add(s.Latency);
        }

        var ok = inside.Sum(s => s.Ok);
        return new WindowReport(inside[0].Second, inside[^1].Second + 1, Math.Round((double)ok / inside.Length, 1),
            inside.Sum(s => s.Errors), ReportBuilder.Of(latency));
    }
}

/// <summary>
/// <c>Before</c>: from the end of warm-up to the add; <c>After</c>: from one second after the new silo showed Active
/// to the end. Seconds are counted from the start of the measured phase.
/// </summary>
public sealed record ScaleOutReport(double StartedAtS, string? AddedSilo, double? ActiveAfterS, double? FirstActivationAfterS,
    int? AddedSiloActivations, int AllActivations, WindowReport? Before, WindowReport? After);

public sealed record WindowReport(int FromS, int ToS, double ThroughputRps, long Errors, Percentiles LatencyMs);
