using System.Net;
using FaceGallery.Testing;

namespace FaceGallery.Api.Tests;

/// <summary>With tenants configured, one tenant's key never reaches another tenant's identities.</summary>
public abstract class TenancyContract(StoreKind kind) : IAsyncLifetime
{
    private const int D = 128;
    private const string KeyA = "key-of-tenant-a-0123456789";
    private const string KeyB = "key-of-tenant-b-9876543210";
    private readonly SyntheticGallery _faces = new(D, seed: 11);
    private GalleryServer? _server;

    public async Task InitializeAsync() =>
        _server = await GalleryServer.StartAsync(kind, new Dictionary<string, string?>
        {
            ["FaceGallery:Tenants:tenant-a:ApiKey"] = KeyA,
            ["FaceGallery:Tenants:tenant-b:ApiKey"] = KeyB,
        });

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task Tenant_b_can_neither_read_list_verify_delete_nor_find_tenant_a_identities()
    {
        using var a = ClientWithKey(KeyA);
        using var b = ClientWithKey(KeyB);
        var enrolled = await a.PostAsync("/v1/identities/alice/embeddings",
            ApiClient.Samples(("a1", _faces.Sample("alice"), 1f), ("a2", _faces.Sample("alice"), 0.9f)));
        Assert.Equal(HttpStatusCode.OK, enrolled.Status);
        var probe = new { embeddings = new[] { _faces.Sample("alice") }, k = 10 };

        Assert.Equal(HttpStatusCode.OK, (await a.GetJsonAsync("/v1/identities/alice")).Status);
        Assert.Equal("alice", (string?)(await a.PostAsync("/v1/search", probe)).Body!["matches"]![0]!["identityId"]);

        var read = await b.GetJsonAsync("/v1/identities/alice");
        Assert.Equal(HttpStatusCode.NotFound, read.Status);
        Assert.Equal("not_found", (string?)read.Body!["code"]);

        var list = await b.GetJsonAsync("/v1/identities");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Empty(list.Body!["items"]!.AsArray());

        var verify = await b.PostAsync("/v1/verify", new { identityId = "alice", embeddings = new[] { _faces.Sample("alice") } });
        Assert.Equal(HttpStatusCode.NotFound, verify.Status);

        var delete = await b.SendAsync(HttpMethod.Delete, "/v1/identities/alice");
        Assert.Equal(HttpStatusCode.NotFound, delete.Status);
        var deleteSample = await b.SendAsync(HttpMethod.Delete, "/v1/identities/alice/samples/a1");
        Assert.Equal(HttpStatusCode.NotFound, deleteSample.Status);

        var search = await b.PostAsync("/v1/search", probe);
        Assert.Equal(HttpStatusCode.OK, search.Status);
        Assert.Empty(search.Body!["matches"]!.AsArray());

        // The same id in tenant B is a different identity and leaves A's untouched.
        await b.PostAsync("/v1/identities/alice/embeddings", ApiClient.Samples(("b1", _faces.Sample("bob"), 1f)));
        var bobAsAlice = await b.PostAsync("/v1/search", new { embeddings = new[] { _faces.Sample("bob") }, k = 10 });
        Assert.Single(bobAsAlice.Body!["matches"]!.AsArray());
        var stillA = await a.GetJsonAsync("/v1/identities/alice");
        Assert.Equal(2, (int)stillA.Body!["sampleCount"]!);
        Assert.Single((await a.GetJsonAsync("/v1/identities")).Body!["items"]!.AsArray());
    }

    [Fact]
    public async Task Every_v1_call_needs_a_known_key_but_health_does_not()
    {
        using var anonymous = _server!.CreateClient();
        using var wrong = ClientWithKey("not-a-key-of-anyone");
        foreach (var client in new[] { anonymous, wrong })
        {
            foreach (var (method, path) in new[] { (HttpMethod.Get, "/v1/identities"), (HttpMethod.Get, "/v1/identities/alice"),
                         (HttpMethod.Delete, "/v1/identities/alice"), (HttpMethod.Get, "/v1/cluster"), (HttpMethod.Get, "/v1/models") })
            {
                var (status, body, contentType) = await client.SendAsync(method, path);
                Assert.Equal(HttpStatusCode.Unauthorized, status);
                Assert.Equal("application/problem+json", contentType);
                Assert.Equal("unauthorized", (string?)body!["code"]);
            }

            var search = await client.PostAsync("/v1/search", new { embeddings = new[] { _faces.Sample("x") } });
            Assert.Equal(HttpStatusCode.Unauthorized, search.Status);
        }

        using var live = await anonymous.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private HttpClient ClientWithKey(string key)
    {
        var client = _server!.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}

public sealed class EmbeddedTenancyTests() : TenancyContract(StoreKind.Embedded);

public sealed class PostgresTenancyTests() : TenancyContract(StoreKind.Postgres);
