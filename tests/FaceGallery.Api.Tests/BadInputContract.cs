using System.Net;
using FaceGallery.Testing;

namespace FaceGallery.Api.Tests;

/// <summary>
/// Every bad request gets a 4xx problem+json with a stable code, stores nothing, and leaves the
/// server serving.
/// </summary>
public abstract class BadInputContract(StoreKind kind) : IAsyncLifetime
{
    private const int D = 128;
    private static readonly SyntheticGallery Faces = new(D, seed: 11);
    private GalleryServer? _server;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await GalleryServer.StartAsync(kind);
        _client = _server.CreateClient();
        // One good sample so "nothing stored" can be checked against a known state.
        var ok = await _client.PostAsync("/v1/identities/victim/embeddings", ApiClient.Samples(("v1", Faces.Sample("victim"), 1f)));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server!.DisposeAsync();
    }

    public static TheoryData<string, string, string, HttpStatusCode, string> Cases()
    {
        var good = Faces.Sample("victim");
        var shortVector = good[..64];
        var zero = new float[D];
        string Samples(string embeddingJson, string quality = "1") =>
            $$"""{"samples":[{"id":"bad","embedding":{{embeddingJson}},"quality":{{quality}}}]}""";
        var goodJson = ApiClient.ToJson(good);
        var nanJson = goodJson.Replace(goodJson.Split(',')[1], "\"NaN\"", StringComparison.Ordinal);
        var infJson = goodJson.Replace(goodJson.Split(',')[1], "\"Infinity\"", StringComparison.Ordinal);
        var tooMany = ApiClient.ToJson(new { samples = Enumerable.Range(0, 65).Select(i => new { id = $"x{i}", embedding = good }).ToArray() });
        var huge = ApiClient.ToJson(new { samples = Enumerable.Range(0, 2000).Select(i => new { id = $"h{i}", embedding = good }).ToArray() });

        return new TheoryData<string, string, string, HttpStatusCode, string>
        {
            { "POST", "/v1/identities/victim/embeddings", Samples(ApiClient.ToJson(shortVector)), HttpStatusCode.BadRequest, "invalid_embedding" },
            { "POST", "/v1/identities/victim/embeddings", Samples(nanJson), HttpStatusCode.BadRequest, "invalid_embedding" },
            { "POST", "/v1/identities/victim/embeddings", Samples(infJson), HttpStatusCode.BadRequest, "invalid_embedding" },
            { "POST", "/v1/identities/victim/embeddings", Samples(ApiClient.ToJson(zero)), HttpStatusCode.BadRequest, "invalid_embedding" },
            { "POST", "/v1/identities/victim/embeddings", Samples(goodJson, "1.5"), HttpStatusCode.BadRequest, "invalid_quality" },
            { "POST", "/v1/identities/victim/embeddings", Samples(goodJson, "-0.1"), HttpStatusCode.BadRequest, "invalid_quality" },
            { "POST", "/v1/identities/victim/embeddings", """{"samples":[]}""", HttpStatusCode.BadRequest, "empty_samples" },
            { "POST", "/v1/identities/victim/embeddings", tooMany, HttpStatusCode.BadRequest, "too_many_samples" },
            { "POST", "/v1/identities/victim/embeddings", huge, HttpStatusCode.RequestEntityTooLarge, "payload_too_large" },
            { "POST", "/v1/identities/victim/embeddings", """{"samples":[{"id":"a b","embedding":[1]}]}""", HttpStatusCode.BadRequest, "invalid_id" },
            { "POST", "/v1/identities/victim/embeddings", """{"samples": [ {"id": "x", "embedding": [1, 2,""", HttpStatusCode.BadRequest, "malformed_json" },
            { "POST", "/v1/identities/victim/embeddings", """{"samples":[],"surprise":1}""", HttpStatusCode.BadRequest, "malformed_json" },
            { "POST", "/v1/identities/bad%20id/embeddings", Samples(goodJson), HttpStatusCode.BadRequest, "invalid_id" },
            { "POST", "/v1/identities/bad'id;DROP/embeddings", Samples(goodJson), HttpStatusCode.BadRequest, "invalid_id" },
            { "POST", $"/v1/identities/{new string('a', 129)}/embeddings", Samples(goodJson), HttpStatusCode.BadRequest, "invalid_id" },
            { "PUT", "/v1/identities/%C3%A9t%C3%A9", "{}", HttpStatusCode.BadRequest, "invalid_id" },
            { "PUT", "/v1/identities/victim", """{"metadata":[1,2]}""", HttpStatusCode.BadRequest, "invalid_request" },
            { "GET", "/v1/identities/nobody", "", HttpStatusCode.NotFound, "not_found" },
            { "DELETE", "/v1/identities/nobody", "", HttpStatusCode.NotFound, "not_found" },
            { "DELETE", "/v1/identities/nobody/samples/x", "", HttpStatusCode.NotFound, "not_found" },
            { "POST", "/v1/verify", $$"""{"identityId":"nobody","embeddings":[{{goodJson}}]}""", HttpStatusCode.NotFound, "not_found" },
            { "POST", "/v1/verify", $$"""{"identityId":"victim","embeddings":[{{ApiClient.ToJson(shortVector)}}]}""", HttpStatusCode.BadRequest, "invalid_embedding" },
            { "POST", "/v1/search", $$"""{"embeddings":[{{goodJson}}],"k":0}""", HttpStatusCode.BadRequest, "invalid_k" },
            { "POST", "/v1/search", $$"""{"embeddings":[{{goodJson}}],"k":101}""", HttpStatusCode.BadRequest, "invalid_k" },
            { "POST", "/v1/search", """{"embeddings":[],"k":5}""", HttpStatusCode.BadRequest, "empty_samples" },
            { "POST", "/v1/search", $$"""{"embeddings":[{{goodJson}}],"qualities":[2]}""", HttpStatusCode.BadRequest, "invalid_quality" },
            { "POST", "/v1/search", "not json at all", HttpStatusCode.BadRequest, "malformed_json" },
            { "GET", "/v1/identities?limit=0", "", HttpStatusCode.BadRequest, "invalid_request" },
            { "GET", "/v1/identities?cursor=%%%", "", HttpStatusCode.BadRequest, "invalid_request" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_problem_with_a_stable_code_and_stores_nothing(
        string method, string path, string body, HttpStatusCode status, string code)
    {
        var answer = await _client.SendAsync(new HttpMethod(method), path, body.Length == 0 ? null : body);

        Assert.Equal(status, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentType);
        Assert.Equal(code, (string?)answer.Body!["code"]);

        var victim = await _client.GetJsonAsync("/v1/identities/victim");
        Assert.Equal(1, (int)victim.Body!["sampleCount"]!);
        Assert.Null(victim.Body["displayName"]);
        var list = await _client.GetJsonAsync("/v1/identities?limit=1000");
        Assert.Single(list.Body!["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/health/ready")).StatusCode);
    }
}
