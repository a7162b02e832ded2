using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaceGallery.Inference.Aggregation;

public static class AggregationServiceCollectionExtensions
{
    /// <summary>
    /// The gallery's set aggregator, in one place: the server computes descriptors with it and
    /// offline tools (the CLI's descriptor consistency check) recompute them with the same one.
    /// </summary>
    public static IServiceCollection AddSetAggregator(this IServiceCollection services)
    {
        services.TryAddSingleton<ISetAggregator>(new MeanAggregator(qualityWeighted: true));
        return services;
    }
}
