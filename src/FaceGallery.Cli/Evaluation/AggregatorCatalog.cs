using FaceGallery.Inference.Aggregation;
using FaceGallery.Inference.Coreset;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceGallery.Cli.Evaluation;

/// <summary>The aggregators the CLI can name, created on demand so `mean` never loads an ONNX model.</summary>
public sealed class AggregatorCatalog : IDisposable
{
    public const string CoresetName = "coreset";

    public static readonly IReadOnlyList<string> SetAggregatorNames = [CoresetName, MeanAggregator.MeanId, MeanAggregator.QualityMeanId];

    public static readonly IReadOnlyList<string> EvaluationNames = [CoresetName, MeanAggregator.MeanId, MeanAggregator.QualityMeanId, BestSingleAggregator.BestSingleId];

    private readonly string? modelsPath;
    private OnnxSessionFactory? sessions;

    public AggregatorCatalog(string? modelsPath = null) => this.modelsPath = modelsPath;

    /// <summary>Input length the named aggregator requires, when it fixes one.</summary>
    public int? RequiredDimension(ISetAggregator aggregator) => aggregator is CoresetAggregator coreset ? coreset.Dimension : null;

    public ISetAggregator Create(string name) => name switch
    {
        CoresetName => CreateCoreset(),
        MeanAggregator.MeanId => new MeanAggregator(qualityWeighted: false),
        MeanAggregator.QualityMeanId => new MeanAggregator(qualityWeighted: true),
        BestSingleAggregator.BestSingleId => new BestSingleAggregator(),
        _ => throw new ArgumentException($"Unknown aggregator '{name}'; known: {string.Join(", ", EvaluationNames)}.", nameof(name)),
    };

    public void Dispose() => sessions?.Dispose();

    private CoresetAggregator CreateCoreset()
    {
        sessions ??= new OnnxSessionFactory(
            Options.Create(new OnnxRuntimeOptions { ModelsPath = modelsPath, Accelerator = Accelerator.Cpu }),
            NullLogger<OnnxSessionFactory>.Instance);
        return new CoresetAggregator(sessions, Options.Create(new CoresetAggregatorOptions()), NullLogger<CoresetAggregator>.Instance);
    }
}
