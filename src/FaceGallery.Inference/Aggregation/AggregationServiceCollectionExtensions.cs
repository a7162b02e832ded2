using FaceGallery.Inference.Coreset;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FaceGallery.Inference.Aggregation;

public static class AggregationServiceCollectionExtensions
{
    /// <summary>Which set aggregator builds descriptors: <c>coreset</c> (FaceCoresetNet, default), <c>quality-mean</c> or <c>mean</c>.</summary>
    public const string AggregatorSetting = "FaceGallery:Aggregator";

    /// <summary>
    /// The gallery's set aggregator, in one place: the server computes descriptors with it and
    /// offline tools (the CLI's descriptor consistency check) recompute them with the same one.
    /// </summary>
    public static IServiceCollection AddSetAggregator(this IServiceCollection services, IConfiguration configuration)
    {
        var kind = configuration[AggregatorSetting] ?? "coreset";
        switch (kind)
        {
            case "coreset":
                services.AddOptions<OnnxRuntimeOptions>().Bind(configuration.GetSection(OnnxRuntimeOptions.SectionName));
                services.AddOptions<CoresetAggregatorOptions>().Bind(configuration.GetSection(CoresetAggregatorOptions.SectionName));
                services.AddCoresetAggregator();
                break;
            case MeanAggregator.QualityMeanId:
                services.AddSingleton<ISetAggregator>(new MeanAggregator(qualityWeighted: true));
                break;
            case MeanAggregator.MeanId:
                services.AddSingleton<ISetAggregator>(new MeanAggregator(qualityWeighted: false));
                break;
            default:
                throw new InvalidOperationException($"{AggregatorSetting} must be coreset, quality-mean or mean, not '{kind}'.");
        }

        return services;
    }
}
