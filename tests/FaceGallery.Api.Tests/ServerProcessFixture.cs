using FaceGallery.Testing;

namespace FaceGallery.Api.Tests;

/// <summary>
/// The built server as its own OS process (as an operator starts it: the dll from its build output,
/// production environment) on a fresh PostgreSQL database, with JSON logs and debug logging of the
/// project's own categories, and the gallery-size gauge sampled every half second.
/// </summary>
public sealed class ServerProcessFixture : IAsyncLifetime
{
    private TestPostgres? _database;

    public ServerProcess Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = await TestPostgres.CreateAsync("fg_ops");
        Server = ServerProcess.StartSilo("ops", _database, new Dictionary<string, string>
        {
            ["FaceGallery__Accelerator"] = "cpu",
            ["FaceGallery__Telemetry__JsonConsoleLogs"] = "true",
            ["FaceGallery__Telemetry__GallerySizeInterval"] = "00:00:00.5",
            ["Logging__LogLevel__FaceGallery"] = "Debug",
        });
        await Server.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        Client = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
