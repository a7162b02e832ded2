using FaceGallery.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Microsoft.Extensions.DependencyInjection;

public static class PostgresGalleryStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgresGalleryStore"/> as the <see cref="FaceGallery.Storage.IGalleryStore"/>
    /// with its own pgvector-aware data source (keyed <see cref="PostgresGalleryStore.DataSourceKey"/>;
    /// also offered as the plain <see cref="NpgsqlDataSource"/> unless the host registered one).
    /// </summary>
    public static IServiceCollection AddPostgresGalleryStore(this IServiceCollection services, Action<PostgresStoreOptions> configure)
    {
        services.AddOptions<PostgresStoreOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ConnectionString), "FaceGallery PostgreSQL store needs a connection string.")
            .Validate(o => o.HnswEfConstruction >= 2 * o.HnswM, "HnswEfConstruction must be at least twice HnswM (pgvector's rule).")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresStoreOptions>, PostgresStoreOptionsValidator>());

        services.TryAddKeyedSingleton(PostgresGalleryStore.DataSourceKey, (provider, _) =>
        {
            var options = provider.GetRequiredService<IOptions<PostgresStoreOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            ApplyTimeouts(builder.ConnectionStringBuilder, options);
            builder.UseVector();
            var loggerFactory = provider.GetService<ILoggerFactory>();
            if (loggerFactory is not null)
            {
                builder.UseLoggerFactory(loggerFactory);
            }

            return builder.Build();
        });
        services.TryAddSingleton(provider => provider.GetRequiredKeyedService<NpgsqlDataSource>(PostgresGalleryStore.DataSourceKey));
        services.TryAddSingleton<PostgresGalleryStore>();
        services.TryAddSingleton<FaceGallery.Storage.IGalleryStore>(provider => provider.GetRequiredService<PostgresGalleryStore>());
        return services;
    }

    /// <summary>The store's timeouts, where the connection string leaves them at Npgsql's defaults.</summary>
    private static void ApplyTimeouts(NpgsqlConnectionStringBuilder target, PostgresStoreOptions options)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = options.ConnectionString };
        if (!given.ContainsKey("Timeout") && !given.ContainsKey("Connect Timeout"))
        {
            target.Timeout = options.ConnectTimeoutSeconds;
        }

        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
        {
            target.CommandTimeout = options.CommandTimeoutSeconds;
        }
    }
}
