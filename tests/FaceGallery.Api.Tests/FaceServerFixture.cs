namespace FaceGallery.Api.Tests;

/// <summary>One embedded-store server with the face models warm, shared by a test class (models load once).</summary>
public sealed class FaceServerFixture : IAsyncLifetime
{
    private GalleryServer? _server;

    public GalleryServer Server => _server!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await GalleryServer.StartAsync(StoreKind.Embedded, new Dictionary<string, string?>
        {
            ["FaceGallery:Images:WarmUpModels"] = "true",
            ["FaceGallery:Images:MaxImagesPerRequest"] = "16",
            ["FaceGallery:Images:MaxPixels"] = "1000000",
            ["FaceGallery:MaxRequestBytes"] = "8388608",
        });
        Client = _server.CreateClient();
        // Ready means the face models are loaded, so no test pays for loading them.
        for (var i = 0; i < 600; i++)
        {
            using var ready = await Client.GetAsync("/health/ready");
            if (ready.IsSuccessStatusCode)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the server did not become ready (face models) within 60 s");
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
