using System.Net;
using System.Text.Json.Nodes;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FaceGallery.Api.Tests;

/// <summary>The HTTP API v1 behaviour every store must give; run once per store.</summary>
public abstract class IdentityApiContract(StoreKind kind) : IAsyncLifetime
{
    protected const int D = 128;
    private GalleryServer? _server;

    protected GalleryServer Server => _server!;

    protected HttpClient Client { get; private set; } = null!;

    protected SyntheticGallery Faces { get; } = new(D, seed: 7);

    public async Task InitializeAsync()
    {
        _server = await GalleryServer.StartAsync(kind);
        Client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    [Fact]
    public async Task Put_creates_an_identity_and_get_returns_its_profile()
    {
        var (status, body, _) = await Client.SendAsync(HttpMethod.Put, "/v1/identities/ada.lovelace",
            new { displayName = "Ada Lovelace", metadata = new { team = "analytical", n = 1 } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ada.lovelace", (string?)body!["id"]);

        (status, body, _) = await Client.GetJsonAsync("/v1/identities/ada.lovelace");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Ada Lovelace", (string?)body!["displayName"]);
        Assert.Equal("analytical", (string?)body["metadata"]!["team"]);
        Assert.Equal(0, (int)body["sampleCount"]!);
        Assert.Equal(0, (long)body["descriptorVersion"]!);
    }

    [Fact]
    public async Task Enrolling_embeddings_creates_the_identity_and_a_versioned_descriptor()
    {
        var (status, body, _) = await Client.PostAsync("/v1/identities/grace/embeddings",
            ApiClient.Samples(("s1", Faces.Sample("grace"), 0.9f), ("s2", Faces.Sample("grace"), 0.5f)));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("grace", (string?)body!["identityId"]);
        Assert.Equal(2, (int)body["accepted"]!);
        Assert.Equal(0, (int)body["duplicates"]!);
        Assert.Equal(2, (int)body["sampleCount"]!);
        var version = (long)body["descriptorVersion"]!;
        Assert.True(version > 0);

        (status, body, _) = await Client.GetJsonAsync("/v1/identities/grace");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, (int)body!["sampleCount"]!);
        Assert.Equal(version, (long)body["descriptorVersion"]!);
    }

    [Fact]
    public async Task Enroll_is_idempotent_per_sample_id()
    {
        var sample = ("same-id", Faces.Sample("linus"), 1f);
        var first = await Client.PostAsync("/v1/identities/linus/embeddings", ApiClient.Samples(sample));
        var second = await Client.PostAsync("/v1/identities/linus/embeddings",
            ApiClient.Samples(sample, ("other-id", Faces.Sample("linus"), 1f)));

        Assert.Equal(1, (int)first.Body!["accepted"]!);
        Assert.Equal(1, (int)second.Body!["accepted"]!);
        Assert.Equal(1, (int)second.Body["duplicates"]!);
        Assert.Equal(2, (int)second.Body["sampleCount"]!);
        Assert.Equal("same-id", (string?)second.Body["duplicateIds"]![0]);
    }

    [Fact]
    public async Task Samples_without_ids_are_named_by_content_so_a_resend_is_a_duplicate()
    {
        var embedding = Faces.Sample("ken");
        var body = new { samples = new[] { new { embedding } } };
        var first = await Client.PostAsync("/v1/identities/ken/embeddings", body);
        var again = await Client.PostAsync("/v1/identities/ken/embeddings", body);
        Assert.Equal(1, (int)first.Body!["accepted"]!);
        Assert.Equal(0, (int)again.Body!["accepted"]!);
        Assert.Equal(1, (int)again.Body["sampleCount"]!);
    }

    [Fact]
    public async Task Search_finds_each_identity_at_rank_one_and_respects_k()
    {
        var people = Enumerable.Range(0, 12).Select(i => $"person-{i:D2}").ToArray();
        foreach (var person in people)
        {
            var enrolled = await Client.PostAsync($"/v1/identities/{person}/embeddings", ApiClient.Samples(
                ($"{person}-a", Faces.Sample(person), 1f), ($"{person}-b", Faces.Sample(person), 0.8f)));
            Assert.Equal(HttpStatusCode.OK, enrolled.Status);
        }

        foreach (var person in people)
        {
            var (status, body, _) = await Client.PostAsync("/v1/search", new { embeddings = new[] { Faces.Sample(person) }, k = 3 });
            Assert.Equal(HttpStatusCode.OK, status);
            var matches = body!["matches"]!.AsArray();
            Assert.Equal(3, matches.Count);
            Assert.Equal(person, (string?)matches[0]!["identityId"]);
            Assert.True((float)matches[0]!["score"]! > 0.6f, $"top score {(float)matches[0]!["score"]!}");
            Assert.True((float)matches[0]!["score"]! >= (float)matches[1]!["score"]!);
        }

        var filtered = await Client.PostAsync("/v1/search", new { embeddings = new[] { Faces.Sample("person-00") }, k = 10, minScore = 0.5f });
        Assert.Single(filtered.Body!["matches"]!.AsArray());
    }

    [Fact]
    public async Task Multi_embedding_probes_are_aggregated_into_one_descriptor()
    {
        await Client.PostAsync("/v1/identities/multi/embeddings", ApiClient.Samples(("m1", Faces.Sample("multi"), 1f)));
        await Client.PostAsync("/v1/identities/decoy/embeddings", ApiClient.Samples(("d1", Faces.Sample("decoy"), 1f)));
        var probe = new { embeddings = new[] { Faces.Sample("multi"), Faces.Sample("multi"), Faces.Sample("multi") }, qualities = new[] { 1f, 0.5f, 0.2f }, k = 2 };
        var (status, body, _) = await Client.PostAsync("/v1/search", probe);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("multi", (string?)body!["matches"]![0]!["identityId"]);
    }

    [Fact]
    public async Task Verify_accepts_the_same_person_and_rejects_another()
    {
        await Client.PostAsync("/v1/identities/alan/embeddings", ApiClient.Samples(("a1", Faces.Sample("alan"), 1f), ("a2", Faces.Sample("alan"), 1f)));
        var same = await Client.PostAsync("/v1/verify", new { identityId = "alan", embeddings = new[] { Faces.Sample("alan") } });
        var other = await Client.PostAsync("/v1/verify", new { identityId = "alan", embeddings = new[] { Faces.Sample("someone-else") } });

        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.True((bool)same.Body!["match"]!);
        Assert.False((bool)other.Body!["match"]!);
        Assert.True((float)same.Body["score"]! > (float)other.Body["score"]!);
        Assert.Equal((float)same.Body["threshold"]!, (float)other.Body["threshold"]!);
    }

    [Fact]
    public async Task Deleting_a_sample_recomputes_the_descriptor()
    {
        await Client.PostAsync("/v1/identities/edsger/embeddings", ApiClient.Samples(
            ("keep", Faces.Sample("edsger"), 1f), ("drop", Faces.Sample("intruder"), 1f)));
        var before = await Client.GetJsonAsync("/v1/identities/edsger");

        var (status, _, _) = await Client.SendAsync(HttpMethod.Delete, "/v1/identities/edsger/samples/drop");
        Assert.Equal(HttpStatusCode.NoContent, status);

        var after = await Client.GetJsonAsync("/v1/identities/edsger");
        Assert.Equal(1, (int)after.Body!["sampleCount"]!);
        Assert.True((long)after.Body["descriptorVersion"]! > (long)before.Body!["descriptorVersion"]!);
        var verify = await Client.PostAsync("/v1/verify", new { identityId = "edsger", embeddings = new[] { Faces.Center("intruder") } });
        Assert.False((bool)verify.Body!["match"]!);

        var missing = await Client.SendAsync(HttpMethod.Delete, "/v1/identities/edsger/samples/drop");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal("not_found", (string?)missing.Body!["code"]);
    }

    [Fact]
    public async Task Delete_erases_the_identity_from_get_list_and_search()
    {
        await Client.PostAsync("/v1/identities/gone/embeddings", ApiClient.Samples(("g1", Faces.Sample("gone"), 1f)));
        var (status, _, _) = await Client.SendAsync(HttpMethod.Delete, "/v1/identities/gone");
        Assert.Equal(HttpStatusCode.NoContent, status);

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetJsonAsync("/v1/identities/gone")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync(HttpMethod.Delete, "/v1/identities/gone")).Status);
        var search = await Client.PostAsync("/v1/search", new { embeddings = new[] { Faces.Center("gone") }, k = 5 });
        Assert.DoesNotContain(search.Body!["matches"]!.AsArray(), m => (string?)m!["identityId"] == "gone");
        var list = await Client.GetJsonAsync("/v1/identities?limit=100");
        Assert.DoesNotContain(list.Body!["items"]!.AsArray(), m => (string?)m!["id"] == "gone");
    }

    [Fact]
    public async Task List_pages_through_every_identity_in_id_order()
    {
        var ids = Enumerable.Range(0, 7).Select(i => $"page-{i}").ToArray();
        foreach (var id in ids)
        {
            await Client.SendAsync(HttpMethod.Put, $"/v1/identities/{id}", new { displayName = id });
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var path = cursor is null ? "/v1/identities?limit=3" : $"/v1/identities?limit=3&cursor={cursor}";
            var (status, body, _) = await Client.GetJsonAsync(path);
            Assert.Equal(HttpStatusCode.OK, status);
            var items = body!["items"]!.AsArray();
            Assert.True(items.Count <= 3);
            seen.AddRange(items.Select(i => (string)i!["id"]!));
            cursor = (string?)body["nextCursor"];
        }
        while (cursor is not null);

        Assert.Equal(ids, seen.Where(s => s.StartsWith("page-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_listed_identity_shows_the_descriptor_version_and_coreset_that_get_shows()
    {
        // Four samples, then one removed: the revision moves on twice, and the coreset (K = 3) is a real choice.
        var samples = Enumerable.Range(0, 4).Select(i => ($"l{i}", Faces.Sample("listed"), 0.4f + (0.1f * i))).ToArray();
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/v1/identities/listed/embeddings", ApiClient.Samples(samples))).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.SendAsync(HttpMethod.Delete, "/v1/identities/listed/samples/l3")).Status);
        await Client.SendAsync(HttpMethod.Put, "/v1/identities/listed.empty", new { displayName = "no samples" });

        foreach (var id in new[] { "listed", "listed.empty" })
        {
            var (_, single, _) = await Client.GetJsonAsync($"/v1/identities/{id}");
            var (status, page, _) = await Client.GetJsonAsync("/v1/identities?limit=1000");
            Assert.Equal(HttpStatusCode.OK, status);
            var listed = page!["items"]!.AsArray().Single(i => (string?)i!["id"] == id)!;
            foreach (var member in new[] { "id", "displayName", "sampleCount", "descriptorVersion", "coreset" })
            {
                Assert.True(JsonNode.DeepEquals(single![member], listed[member]), $"{id}.{member}: get {single[member]?.ToJsonString()}, list {listed[member]?.ToJsonString()}");
            }
        }

        var (_, identity, _) = await Client.GetJsonAsync("/v1/identities/listed");
        Assert.Equal(3, identity!["coreset"]!.AsArray().Count);
    }

    [Fact]
    public async Task Concurrent_enrollments_to_one_identity_lose_nothing()
    {
        const int requests = 16;
        const int perRequest = 4;
        var batches = Enumerable.Range(0, requests).Select(r => Enumerable.Range(0, perRequest)
            .Select(i => ($"c{r}-{i}", Faces.Sample("crowd"), 0.2f + (((r * perRequest) + i) * 0.01f))).ToArray()).ToArray();

        var answers = await Task.WhenAll(batches.Select(b => Client.PostAsync("/v1/identities/crowd/embeddings", ApiClient.Samples(b))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(requests * perRequest, answers.Sum(a => (int)a.Body!["accepted"]!));

        var identity = await Client.GetJsonAsync("/v1/identities/crowd");
        Assert.Equal(requests * perRequest, (int)identity.Body!["sampleCount"]!);
        // Every acknowledgement names a descriptor version that already covers its samples.
        Assert.Equal(answers.Max(a => (long)a.Body!["descriptorVersion"]!), (long)identity.Body["descriptorVersion"]!);

        // The stored descriptor is the server's aggregator applied to all 64 samples.
        var aggregator = Server.Services.GetRequiredService<ISetAggregator>();
        var all = batches.SelectMany(b => b).Select(x => new SetMember(x.Item2, x.Item3)).ToArray();
        var expected = await aggregator.AggregateAsync(all, CancellationToken.None);
        var verify = await Client.PostAsync("/v1/verify", new { identityId = "crowd", embeddings = new[] { expected.Vector } });
        Assert.True((float)verify.Body!["score"]! > 0.9999f, $"score {(float)verify.Body["score"]!}");
        Assert.Equal(expected.Coreset.Count, identity.Body["coreset"]!.AsArray().Count);
    }

    [Fact]
    public async Task Cluster_models_and_health_describe_a_ready_server()
    {
        var cluster = await Client.GetJsonAsync("/v1/cluster");
        Assert.Equal(HttpStatusCode.OK, cluster.Status);
        var silo = Assert.Single(cluster.Body!["silos"]!.AsArray());
        Assert.Equal("Active", (string?)silo!["status"]);
        Assert.Contains((string?)silo["accelerator"], new[] { "cpu", "cuda" });

        var models = await Client.GetJsonAsync("/v1/models");
        Assert.Equal(D, (int)models.Body!["embedder"]!["dimension"]!);
        Assert.Equal(Server.Services.GetRequiredService<ISetAggregator>().Id, (string?)models.Body["aggregator"]!["name"]);

        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/ready")).StatusCode);
    }

    public static float[] Filled(int n, float value) => Enumerable.Repeat(value, n).ToArray();

    public static JsonNode? CodeOf((HttpStatusCode Status, JsonNode? Body, string? ContentType) answer) => answer.Body?["code"];
}
