namespace FaceGallery.LoadTests;

/// <summary>What one load run does. Bounded by <see cref="Duration"/> and <see cref="MaxRequests"/>, whichever comes first.</summary>
public sealed record LoadSettings
{
    public required Scenario Scenario { get; init; }

    /// <summary>Server base addresses, used round-robin; a failing one is skipped for a moment.</summary>
    public required IReadOnlyList<Uri> Urls { get; init; }

    /// <summary>Optional file of further base addresses (one a line), re-read while running, so silos added under load get traffic.</summary>
    public string? UrlFile { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    public long MaxRequests { get; init; } = 1_000_000;

    /// <summary>Open-loop arrivals per second; null runs <see cref="Concurrency"/> closed-loop workers instead.</summary>
    public double? Rate { get; init; }

    public int Concurrency { get; init; } = 16;

    /// <summary>Open loop only: more requests than this in flight are skipped and counted, not queued.</summary>
    public int MaxInFlight { get; init; } = 1024;

    /// <summary>Share of enrollments in the mixed scenario (the rest are searches).</summary>
    public double EnrollRatio { get; init; } = 0.2;

    /// <summary>Identities enrolled before measuring, so searches have a gallery; null picks by scenario (search 1000, mixed 200, enroll 20).</summary>
    public int? Preload { get; init; }

    /// <summary>New identities are filled <see cref="SamplesPerIdentity"/> deep in windows of this many.</summary>
    public int IdentityWindow { get; init; } = 50;

    public int SamplesPerIdentity { get; init; } = 4;

    public int Dimension { get; init; } = 128;

    public int Seed { get; init; } = 7;

    /// <summary>Prefix of identity and sample ids, so runs against one database never collide.</summary>
    public string IdPrefix { get; init; } = "lt" + Guid.NewGuid().ToString("N")[..6];

    public int MaxRetries { get; init; } = 12;

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>PostgreSQL of the cluster, for verifying every acknowledged enrollment; null skips verification.</summary>
    public string? Connection { get; init; }

    /// <summary>Silo count to write into the report (the driver only sees URLs).</summary>
    public int Silos { get; init; } = 1;

    /// <summary>Each silo's CPU cap in cores when run.sh set one (<c>--silo-cpus</c>); null = uncapped.</summary>
    public double? SiloCpus { get; init; }

    /// <summary>File the chaos script appends "unix-ms TAB event" lines to.</summary>
    public string? ChaosLog { get; init; }

    /// <summary>Created when the measured phase starts, so a chaos script can time its action.</summary>
    public string? StartedMarker { get; init; }

    public required string OutputDirectory { get; init; }

    public bool ShowProgress { get; init; } = true;

    public int PreloadCount => Preload ?? Scenario switch
    {
        Scenario.Search => 1000,
        Scenario.Mixed => 200,
        // A few even for pure enrollment: the first writes create the tenant's partition and warm
        // every silo up, which is start-up cost rather than steady-state throughput.
        _ => 20,
    };

    public double EnrollShare => Scenario switch
    {
        Scenario.Enroll => 1.0,
        Scenario.Search => 0.0,
        _ => EnrollRatio,
    };

    public string Mode => Rate is { } r ? $"open loop, {r:0.#} requests/s" : $"closed loop, {Concurrency} workers";
}

public enum Scenario
{
    Enroll,
    Search,
    Mixed,
}
