using FaceGallery.Inference.Aggregation;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaceGallery.Inference.Coreset;

public static class CoresetServiceCollectionExtensions
{
    /// <summary>
    /// FaceCoresetNet as the process's <see cref="ISetAggregator"/> (a singleton sharing the process-wide
    /// ONNX session factory). Call it instead of registering another aggregator: an earlier
    /// <see cref="ISetAggregator"/> registration wins. The host binds <see cref="CoresetAggregatorOptions"/>.
    /// </summary>
    public static IServiceCollection AddCoresetAggregator(this IServiceCollection services)
    {
        services.AddOptions<OnnxRuntimeOptions>();
        services.AddOptions<CoresetAggregatorOptions>();
        services.TryAddSingleton<OnnxSessionFactory>();
        services.TryAddSingleton<CoresetAggregator>();
        services.TryAddSingleton<ISetAggregator>(sp => sp.GetRequiredService<CoresetAggregator>());
        return services;
    }
}
