using FaceGallery.Grains;
using FaceGallery.Storage;
using FaceGallery.Storage.Embedded;
using FaceGallery.Storage.Postgres;

namespace FaceGallery.Server.Hosting;

public static class StorageHosting
{
    public const string ConnectionStringName = "Gallery";

    /// <summary>True when this process runs in cluster mode (PostgreSQL + pgvector).</summary>
    public static bool IsClusterMode(this IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName));

    /// <summary>
    /// PostgreSQL + pgvector when <c>ConnectionStrings:Gallery</c> is set, otherwise the embedded
    /// file store under <c>FaceGallery:DataPath</c>. The schema is migrated before the silo starts.
    /// </summary>
    public static WebApplicationBuilder AddGalleryStorage(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var dimension = configuration.GetValue($"{GalleryOptions.SectionName}:{nameof(GalleryOptions.EmbeddingDimension)}", 128);
        if (configuration.IsClusterMode())
        {
            var search = configuration.GetSection("FaceGallery:Search");
            builder.Services.AddPostgresGalleryStore(options =>
            {
                search.Bind(options);
                options.ConnectionString = configuration.GetConnectionString(ConnectionStringName)!;
                options.Dimension = dimension;
            });
        }
        else
        {
            var dataPath = configuration.GetValue($"{ServerOptions.SectionName}:{nameof(ServerOptions.DataPath)}", "data")!;
            builder.Services.AddEmbeddedGalleryStore(options =>
            {
                options.DataPath = Path.GetFullPath(dataPath);
                options.Dimension = dimension;
            });
        }

        builder.Services.AddHostedService<StoreInitializer>();
        return builder;
    }

    /// <summary>Migrates the store before Orleans starts (hosted services start in registration order).</summary>
    private sealed class StoreInitializer(IGalleryStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
