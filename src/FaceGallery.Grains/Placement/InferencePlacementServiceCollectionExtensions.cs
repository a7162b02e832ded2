using FaceGallery.Grains.Faces;
using FaceGallery.Inference.Aggregation;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;

namespace FaceGallery.Grains.Placement;

public static class InferencePlacementServiceCollectionExtensions
{
    /// <summary>
    /// The accelerator placement filter, the router, the face pipeline over this process's models, and
    /// the placing decorator around the <see cref="ISetAggregator"/> registered so far (register the
    /// aggregator first).
    /// </summary>
    public static IServiceCollection AddInferencePlacement(this IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ISetAggregator) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("Register the ISetAggregator before AddInferencePlacement.");
        services.Remove(registered);
        services.AddSingleton(sp => new LocalSetAggregator(Resolve(sp, registered)));
        services.AddSingleton<ISetAggregator, PlacedSetAggregator>();
        services.AddSingleton<InferenceRouter>();
        services.AddSingleton<FacePipeline>();
        services.AddPlacementFilter<AcceleratorPlacementFilterStrategy, AcceleratorPlacementFilterDirector>(ServiceLifetime.Singleton);
        return services;
    }

    private static ISetAggregator Resolve(IServiceProvider services, ServiceDescriptor registered) =>
        (ISetAggregator)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}
