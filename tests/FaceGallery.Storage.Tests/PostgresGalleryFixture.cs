using FaceGallery.Testing;
using FaceGallery.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceGallery.Storage.Tests;

/// <summary>A fresh database with an initialised PostgreSQL gallery, shared by one test class.</summary>
public sealed class PostgresGalleryFixture : IAsyncLifetime
{
    private TestPostgres? database;
    private ServiceProvider? services;

    internal TestPostgres Database => database ?? throw new InvalidOperationException("Fixture not initialised.");

    public IGalleryStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        database = await TestPostgres.CreateAsync("storage_test");
        services = BuildServices(database.ConnectionString, TestVectors.Dimension);
        Store = services.GetRequiredService<IGalleryStore>();
        await Store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    internal static ServiceProvider BuildServices(string connectionString, int dimension, CollectingLoggerProvider? logs = null, Action<PostgresStoreOptions>? configure = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        collection.AddPostgresGalleryStore(options =>
        {
            options.ConnectionString = connectionString;
            options.Dimension = dimension;
            // pgvector's own 16 / 64 rather than the store's denser default: pgvector's cost model prices
            // an m-32 graph higher, so the planner would only take the index from more rows than the
            // plan tests write (and every insert here would cost more).
            options.HnswM = 16;
            options.HnswEfConstruction = 64;
            configure?.Invoke(options);
        });
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
