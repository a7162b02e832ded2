namespace FaceGallery.Cli.Evaluation;

/// <summary>Every metric of one aggregator on one benchmark.</summary>
public sealed record BenchmarkResult(
    string Benchmark,
    string Aggregator,
    int GalleryTemplates,
    int ProbeTemplates,
    long GenuinePairs,
    long ImpostorPairs,
    double MeanGenuine,
    double MeanImpostor,
    IReadOnlyList<TarAtFar> Verification,
    int MatedProbes,
    int NonMatedProbes,
    double Rank1,
    double Rank5,
    IReadOnlyList<TpirAtFpir> OpenSet);
