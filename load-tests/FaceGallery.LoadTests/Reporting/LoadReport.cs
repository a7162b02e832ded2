using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaceGallery.LoadTests.Reporting;

/// <summary>
/// report.json. The first fields are the contract (DESIGN.md "Load tests"); the rest are extras
/// that explain them. Names are written in snake_case.
/// </summary>
public sealed record LoadReport
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Scenario { get; init; }

    public required int Silos { get; init; }

    public required double DurationS { get; init; }

    public required long Requests { get; init; }

    public required long Acked { get; init; }

    public required long Lost { get; init; }

    public required long Errors { get; init; }

    public required double ThroughputRps { get; init; }

    public required Percentiles LatencyMs { get; init; }

    public required IReadOnlyList<ChaosEvent> Chaos { get; init; }

    // Extras.
    public string? StartedAt { get; init; }

    public string? Mode { get; init; }

    public double? SiloCpus { get; init; }

    public string? ChaosMode { get; init; }

    public IReadOnlyList<string>? Urls { get; init; }

    public KindReport? Enroll { get; init; }

    public KindReport? Search { get; init; }

    public long Retries { get; init; }

    public IReadOnlyDictionary<string, long>? RetryReasons { get; init; }

    public IReadOnlyDictionary<string, long>? ErrorReasons { get; init; }

    public long SkippedOverload { get; init; }

    public long Preloaded { get; init; }

    public VerificationReport? Verification { get; init; }

    public IReadOnlyList<Recovery>? Recovery { get; init; }

    public IReadOnlyDictionary<string, int?>? SiloActivations { get; init; }

    public ScaleOutReport? ScaleOut { get; init; }

    public IReadOnlyList<TimelinePoint>? Timeline { get; init; }

    public string? Machine { get; init; }
}

public sealed record Percentiles(double P50, double P90, double P99, double Max);

/// <summary>Something the chaos script did (<c>action</c>) or saw happen (<c>observed</c>).</summary>
public sealed record ChaosEvent(double AtS, string Event, string Kind = "action");

public sealed record KindReport(long Requests, long Ok, long Errors, double ThroughputRps, Percentiles LatencyMs, double? Top1HitRate);

public sealed record VerificationReport(bool Ran, long CheckedSamples, long Identities, long MissingSamples, long StaleDescriptors,
    IReadOnlyList<string>? MissingExamples, IReadOnlyList<string>? StaleExamples);

/// <summary>
/// After a chaos action, up to the next one: failed attempts (retried or not) and failed requests, and
/// <c>DisruptionS</c> = time from the action until the last answer that was an error or a timeout
/// (refused connections, i.e. failing over from a dead server, are counted but do not extend it).
/// </summary>
public sealed record Recovery(string Event, double AtS, long FailedAttempts, long Errors, double DisruptionS);

public sealed record TimelinePoint(int T, long Ok, long Errors, long Retries, double P50Ms, double P90Ms, double P99Ms, double MaxMs, int? ActiveSilos);
