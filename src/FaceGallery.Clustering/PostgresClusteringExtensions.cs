using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Messaging;

namespace FaceGallery.Clustering;

/// <summary>Registers PostgreSQL cluster membership on silos and gateway discovery on clients.</summary>
public static class PostgresClusteringExtensions
{
    /// <summary>Silos keep the cluster's membership in PostgreSQL.</summary>
    public static ISiloBuilder UsePostgresClustering(this ISiloBuilder builder, Action<PostgresClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(builder.Services, configure);
        builder.Services.AddSingleton<IMembershipTable, PostgresMembershipTable>();
        return builder;
    }

    /// <summary>Clients find the gateways of the cluster's Active silos in PostgreSQL.</summary>
    public static IClientBuilder UsePostgresClustering(this IClientBuilder builder, Action<PostgresClusteringOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(builder.Services, configure);
        builder.Services.AddSingleton<IGatewayListProvider, PostgresGatewayListProvider>();
        return builder;
    }

    private static void AddOptions(IServiceCollection services, Action<PostgresClusteringOptions> configure)
    {
        services.AddOptions<PostgresClusteringOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresClusteringOptions>, PostgresClusteringOptionsValidator>());
    }
}
