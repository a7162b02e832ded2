using FaceGallery.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FaceGallery.Api.Tests;

/// <summary>Which store an in-process server runs on.</summary>
public enum StoreKind
{
    Embedded,
    Postgres,
}

/// <summary>
/// The real server (HTTP API + Orleans silo + store) in this process, on its own silo ports and
/// its own data: a temp folder for the embedded store, a fresh database for PostgreSQL.
/// </summary>
public sealed class GalleryServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    private GalleryServer(StoreKind kind, Dictionary<string, string?> settings, TestPostgres? database, string? dataPath,
        Action<IServiceCollection>? services)
    {
        Kind = kind;
        _settings = settings;
        _services = services;
        Database = database;
        DataPath = dataPath;
    }

    public StoreKind Kind { get; }

    public TestPostgres? Database { get; }

    public string? DataPath { get; }

    public static async Task<GalleryServer> StartAsync(StoreKind kind, IDictionary<string, string?>? extra = null,
        string? dataPath = null, TestPostgres? database = null, Action<IServiceCollection>? services = null, int? kestrelPort = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FaceGallery:MaxSamplesPerRequest"] = "64",
            ["FaceGallery:MaxSearchResults"] = "100",
            ["FaceGallery:MaxRequestBytes"] = "1048576",
            // Embedding-only tests need no face models; face tests turn this back on.
            ["FaceGallery:Images:WarmUpModels"] = "false",
        };
        if (kind == StoreKind.Postgres)
        {
            database ??= await TestPostgres.CreateAsync("fg_api");
            settings["ConnectionStrings:Gallery"] = database.ConnectionString;
        }
        else
        {
            dataPath ??= Directory.CreateTempSubdirectory("fg-api-").FullName;
            settings["FaceGallery:DataPath"] = dataPath;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var server = new GalleryServer(kind, settings, database, dataPath, services);
        if (kestrelPort is { } port)
        {
            // A real socket, for clients outside this process (a browser).
            server.UseKestrel(port);
            server.StartServer();
        }
        else
        {
            _ = server.Server; // start the host now, not on first request
        }

        return server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }

    /// <summary>Stops the server but keeps its data, so a new one can be started over it.</summary>
    public async Task StopKeepingDataAsync() => await base.DisposeAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        if (DataPath is not null && Directory.Exists(DataPath))
        {
            Directory.Delete(DataPath, recursive: true);
        }
    }
}
