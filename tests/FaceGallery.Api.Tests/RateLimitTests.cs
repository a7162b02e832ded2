using System.Net;

namespace FaceGallery.Api.Tests;

/// <summary>FaceGallery:RateLimit:RequestsPerSecond limits each API key on its own.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private const string KeyA = "rate-key-a";
    private const string KeyB = "rate-key-b";
    private GalleryServer? _server;

    public async Task InitializeAsync() =>
        _server = await GalleryServer.StartAsync(StoreKind.Embedded, new Dictionary<string, string?>
        {
            ["FaceGallery:Tenants:a:ApiKey"] = KeyA,
            ["FaceGallery:Tenants:b:ApiKey"] = KeyB,
            ["FaceGallery:RateLimit:RequestsPerSecond"] = "1",
            ["FaceGallery:RateLimit:Burst"] = "2",
        });

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task A_key_over_its_rate_gets_429_rate_limited_with_retry_after_while_other_keys_are_served()
    {
        using var a = Client(KeyA);
        using var b = Client(KeyB);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 30 && limited is null; i++)
        {
            var response = await a.GetAsync("/v1/identities");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 2, "the burst is served before limiting starts");
            Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
            Assert.Contains("\"code\":\"rate_limited\"", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }

        Assert.Equal(HttpStatusCode.OK, (await b.GetJsonAsync("/v1/identities")).Status);
        using var health = await a.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(1.2));
        Assert.Equal(HttpStatusCode.OK, (await a.GetJsonAsync("/v1/identities")).Status);
    }

    private HttpClient Client(string key)
    {
        var client = _server!.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}
