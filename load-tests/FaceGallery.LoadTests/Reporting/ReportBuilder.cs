using FaceGallery.LoadTests.Driving;
using FaceGallery.LoadTests.Verification;
using HdrHistogram;

namespace FaceGallery.LoadTests.Reporting;

/// <summary>Turns a run's measurements, the chaos log and the verification into the report.</summary>
public static class ReportBuilder
{
    public static LoadReport Build(LoadSettings settings, string chaosMode, RunMeasurements m, IReadOnlyList<ChaosEvent> chaos,
        VerificationResult? verification, IReadOnlyList<Uri> urls, long preloaded, long skipped)
    {
        var seconds = Math.Max(m.Elapsed.TotalSeconds, 0.001);
        var kinds = m.Kinds.Values;
        var ok = kinds.Sum(k => k.Ok);
        var errors = kinds.Sum(k => k.Errors);
        var measuredAcked = m.Kinds[RequestKind.Enroll].Ok;
        return new LoadReport
        {
            Scenario = settings.Scenario.ToString().ToLowerInvariant(),
            Silos = settings.Silos,
            DurationS = Math.Round(seconds, 2),
            Requests = ok + errors,
            Acked = measuredAcked,
            Lost = verification?.Lost ?? 0,
            Errors = errors,
            ThroughputRps = Math.Round(ok / seconds, 1),
            LatencyMs = Of(m.All),
            Chaos = chaos,
            StartedAt = null,
            Mode = settings.Mode,
            ChaosMode = chaosMode,
            Urls = [.. urls.Select(u => u.ToString())],
            Enroll = Kind(m.Kinds[RequestKind.Enroll], seconds, topHits: false),
            Search = Kind(m.Kinds[RequestKind.Search], seconds, topHits: true),
            Retries = m.AttemptFailures.Values.Sum(),
            RetryReasons = m.AttemptFailures,
            ErrorReasons = m.Errors,
            SkippedOverload = skipped,
            Preloaded = preloaded,
            Verification = verification is null
                ? new VerificationReport(false, 0, 0, 0, 0, null, null)
                : new VerificationReport(true, verification.CheckedSamples, verification.Identities, verification.MissingSamples,
                    verification.StaleDescriptors, verification.MissingExamples, verification.StaleExamples),
            Recovery = Recoveries(chaos, m, seconds),
            SiloActivations = m.Cluster.Count == 0 ? null : m.Cluster[^1].Silos.ToDictionary(
                s => s.Value.Status == "Active" ? s.Key : $"{s.Key} ({s.Value.Status})", s => s.Value.Activations),
            ScaleOut = ScaleOutAnalysis.Analyse(chaos, m),
            Timeline = [.. m.Seconds.Select(s => Point(s, m.Cluster))],
            SiloCpus = settings.SiloCpus,
            Machine = $"{Environment.ProcessorCount} cores seen by the load generator, shared with the servers and PostgreSQL it drives"
                + (settings.SiloCpus is { } cap ? $"; each silo capped at {cap:0.##} cores" : ""),
        };
    }

    public static Percentiles Of(HistogramBase h) => h.TotalCount == 0
        ? new Percentiles(0, 0, 0, 0)
        : new Percentiles(Ms(h.GetValueAtPercentile(50)), Ms(h.GetValueAtPercentile(90)), Ms(h.GetValueAtPercentile(99)), Ms(h.GetMaxValue()));

    private static KindReport? Kind(KindStats k, double seconds, bool topHits) => k.Requests == 0
        ? null
        : new KindReport(k.Requests, k.Ok, k.Errors, Math.Round(k.Ok / seconds, 1), Of(k.Latency),
            topHits && k.Ok > 0 ? Math.Round((double)k.TopHits / k.Ok, 4) : null);

    private static List<Recovery> Recoveries(IReadOnlyList<ChaosEvent> chaos, RunMeasurements m, double end)
    {
        var actions = chaos.Where(c => c.Kind == "action").ToArray();
        var result = new List<Recovery>();
        for (var i = 0; i < actions.Length; i++)
        {
            var from = actions[i].AtS;
            var to = i + 1 < actions.Length ? actions[i + 1].AtS : end;
            // Refused connections are the client failing over from a dead server, not the cluster failing to
            // answer: they are counted but do not extend the disruption.
            var failures = m.FailureTimes.Where(f => f.AtSeconds >= from && f.AtSeconds < to).ToArray();
            var served = failures.Where(f => f.Reason != "connection refused").Select(f => f.AtSeconds).ToArray();
            var errors = m.Seconds.Where(s => s.Second >= from && s.Second < to).Sum(s => s.Errors);
            result.Add(new Recovery(actions[i].Event, from, failures.Length, errors,
                served.Length == 0 ? 0 : Math.Round(served.Max() - from, 2)));
        }

        return result;
    }

    private static TimelinePoint Point(SecondBucket s, IReadOnlyList<ClusterSample> cluster)
    {
        var p = Of(s.Latency);
        var seen = cluster.LastOrDefault(c => c.AtSeconds <= s.Second + 1);
        return new TimelinePoint(s.Second, s.Ok, s.Errors, s.Retries, p.P50, p.P90, p.P99, p.Max,
            seen?.Silos.Values.Count(v => v.Status == "Active"));
    }

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 2);
}
