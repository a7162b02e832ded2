using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace FaceGallery.LoadTests.Driving;

/// <summary>
/// Everything measured during a run: latencies (HdrHistogram, microseconds) overall, per kind and
/// per second; outcomes; each retried attempt's reason and time (to see when a fault began and
/// ended); what the cluster looked like each second; and every acknowledged enrollment.
/// </summary>
public sealed class LoadRecorder
{
    private const long MaxLatencyMicros = 600_000_000; // 10 min: nothing real is longer
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = new();
    private readonly LongHistogram _all = NewHistogram(3);
    private readonly Dictionary<RequestKind, KindStats> _kinds = new() { [RequestKind.Enroll] = new(), [RequestKind.Search] = new() };
    private readonly List<SecondBucket> _seconds = [];
    private readonly Dictionary<string, long> _attemptFailures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly List<Failure> _failureTimes = [];
    private readonly List<ClusterSample> _cluster = [];

    public ConcurrentBag<Enrollment> Acknowledged { get; } = [];

    public long PreloadAcknowledged => Volatile.Read(ref _preloadAcknowledged);

    public long PreloadErrors => Volatile.Read(ref _preloadErrors);

    public long Skipped => Volatile.Read(ref _skipped);

    /// <summary>Wall-clock time the measured phase began (chaos log lines are converted against it).</summary>
    public DateTimeOffset StartedAt { get; private set; }

    public TimeSpan Elapsed => _clock.Elapsed;

    private long _preloadAcknowledged;
    private long _preloadErrors;
    private long _skipped;

    public void Start()
    {
        StartedAt = DateTimeOffset.UtcNow;
        _clock.Restart();
    }

    public void Stop() => _clock.Stop();

    public void PreloadAcked(IEnumerable<Enrollment> samples)
    {
        foreach (var s in samples)
        {
            Acknowledged.Add(s);
        }

        Interlocked.Increment(ref _preloadAcknowledged);
    }

    public void PreloadFailed() => Interlocked.Increment(ref _preloadErrors);

    public void SkippedOverload() => Interlocked.Increment(ref _skipped);

    /// <summary>A request ended; its latency runs from when it was meant to start (no coordinated omission).</summary>
    public void Completed(RequestKind kind, TimeSpan intendedStart, CallResult result, bool? topHit)
    {
        var now = _clock.Elapsed;
        var micros = Math.Clamp((long)(now - intendedStart).TotalMicroseconds, 1, MaxLatencyMicros);
        lock (_gate)
        {
            var bucket = Bucket(now);
            var stats = _kinds[kind];
            stats.Requests++;
            if (result.Ok)
            {
                stats.Ok++;
                stats.Latency.RecordValue(micros);
                _all.RecordValue(micros);
                bucket.Ok++;
                bucket.Latency.RecordValue(micros);
                if (topHit == true)
                {
                    stats.TopHits++;
                }
            }
            else
            {
                stats.Errors++;
                bucket.Errors++;
                var reason = result.Failure ?? "unknown";
                _failureTimes.Add(new Failure(now.TotalSeconds, reason));
                _errors[reason] = _errors.GetValueOrDefault(reason) + 1;
            }
        }
    }

    public void AttemptFailed(string reason)
    {
        var now = _clock.Elapsed;
        lock (_gate)
        {
            Bucket(now).Retries++;
            _failureTimes.Add(new Failure(now.TotalSeconds, reason));
            _attemptFailures[reason] = _attemptFailures.GetValueOrDefault(reason) + 1;
        }
    }

    public void ClusterSeen(IReadOnlyDictionary<string, SiloSeen> silos)
    {
        var now = _clock.Elapsed;
        lock (_gate)
        {
            _cluster.Add(new ClusterSample(now.TotalSeconds, silos));
        }
    }

    public RunMeasurements Snapshot()
    {
        lock (_gate)
        {
            return new RunMeasurements(
                _clock.Elapsed,
                (LongHistogram)_all.Copy(),
                _kinds.ToDictionary(k => k.Key, k => k.Value.Copy()),
                [.. _seconds.Select(s => s.Copy())],
                new Dictionary<string, long>(_attemptFailures),
                new Dictionary<string, long>(_errors),
                [.. _failureTimes],
                [.. _cluster]);
        }
    }

    /// <summary>Live figures for the progress display.</summary>
    public (long Ok, long Errors, long Retries, double P99Ms) Live()
    {
        lock (_gate)
        {
            var ok = _kinds.Values.Sum(k => k.Ok);
            var errors = _kinds.Values.Sum(k => k.Errors);
            var retries = _attemptFailures.Values.Sum();
            var last = _seconds.Count >= 2 ? _seconds[^2] : _seconds.LastOrDefault();
            var p99 = last is { Ok: > 0 } ? last.Latency.GetValueAtPercentile(99) / 1000.0 : 0;
            return (ok, errors, retries, p99);
        }
    }

    internal static LongHistogram NewHistogram(int significantDigits) => new(1, MaxLatencyMicros, significantDigits);

    private SecondBucket Bucket(TimeSpan at)
    {
        var index = Math.Max(0, (int)at.TotalSeconds);
        while (_seconds.Count <= index)
        {
            _seconds.Add(new SecondBucket(_seconds.Count));
        }

        return _seconds[index];
    }
}

public enum RequestKind
{
    Enroll,
    Search,
}

/// <summary>Per-kind totals.</summary>
public sealed class KindStats
{
    public long Requests { get; set; }

    public long Ok { get; set; }

    public long Errors { get; set; }

    public long TopHits { get; set; }

    public LongHistogram Latency { get; init; } = LoadRecorder.NewHistogram(3);

    public KindStats Copy() => new() { Requests = Requests, Ok = Ok, Errors = Errors, TopHits = TopHits, Latency = (LongHistogram)Latency.Copy() };
}

/// <summary>One second of the measured phase (requests counted in the second they completed).</summary>
public sealed class SecondBucket(int second)
{
    public int Second => second;

    public long Ok { get; set; }

    public long Errors { get; set; }

    public long Retries { get; set; }

    public LongHistogram Latency { get; init; } = LoadRecorder.NewHistogram(2);

    public SecondBucket Copy() => new(second) { Ok = Ok, Errors = Errors, Retries = Retries, Latency = (LongHistogram)Latency.Copy() };
}

/// <summary>A silo as /v1/cluster showed it.</summary>
public sealed record SiloSeen(string Status, int? Activations);

public sealed record ClusterSample(double AtSeconds, IReadOnlyDictionary<string, SiloSeen> Silos);

public sealed record RunMeasurements(
    TimeSpan Elapsed,
    LongHistogram All,
    IReadOnlyDictionary<RequestKind, KindStats> Kinds,
    IReadOnlyList<SecondBucket> Seconds,
    IReadOnlyDictionary<string, long> AttemptFailures,
    IReadOnlyDictionary<string, long> Errors,
    IReadOnlyList<Failure> FailureTimes,
    IReadOnlyList<ClusterSample> Cluster);

/// <summary>A failed attempt or request: when (seconds into the measured phase) and why.</summary>
public sealed record Failure(double AtSeconds, string Reason);
