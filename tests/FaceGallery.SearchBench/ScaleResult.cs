namespace FaceGallery.SearchBench;

/// <summary>What one gallery size measured; a null build time means the HNSW build did not finish.</summary>
public sealed record ScaleResult(
    int Size,
    TimeSpan Load,
    TimeSpan? HnswBuild,
    string? BuildNote,
    long TableBytes,
    long IndexBytes,
    Latency Embedded,
    Latency EmbeddedPerExample,
    double PerExampleTop1,
    double DescriptorTop1,
    CosineSummary MateCosine,
    CosineSummary BestImpostorCosine,
    Latency PostgresExact,
    double PostgresExactRecall,
    Latency? PostgresPerExample,
    IReadOnlyList<HnswResult> Hnsw,
    ExactVersusHnswResult? Versus = null);

/// <summary>
/// One ef_search value. <paramref name="Top1Agreement"/>: share of probes whose first HNSW hit is the exact first
/// hit; <paramref name="MateAtTop1"/>: share whose first HNSW hit is the probe's own identity (what identification needs);
/// <paramref name="Scan"/>: what PostgreSQL's plan for the query used ("index" or "seq scan").
/// </summary>
public sealed record HnswResult(int EfSearch, Latency Latency, double RecallAt10, double Top1Agreement, double MateAtTop1, string Scan);
