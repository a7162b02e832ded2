using System.Text.Json;
using FaceGallery.Contracts;

namespace FaceGallery.Storage.Tests;

/// <summary>
/// What every <see cref="IGalleryStore"/> must do. Each concrete store's test class derives from this
/// and so runs every fact against its own real store. Tests use fresh tenants, so a store may be
/// shared by the tests of one class.
/// </summary>
public abstract class GalleryStoreContract
{
    protected const int Dimension = TestVectors.Dimension;

    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract IGalleryStore Store { get; }

    protected static string NewTenant() => "tenant-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Upsert_creates_an_identity_that_load_returns()
    {
        var key = new IdentityKey(NewTenant(), "alice");
        var created = await Store.UpsertIdentityAsync(key, new IdentityProfile("Alice", """{"team":"blue"}"""), None);

        Assert.Equal(key.Tenant, created.Tenant);
        Assert.Equal("alice", created.IdentityId);
        Assert.Equal("Alice", created.DisplayName);
        Assert.Equal(0, created.Revision);
        Assert.Equal(0, created.SampleCount);

        var loaded = await Store.LoadIdentityAsync(key, None);
        Assert.NotNull(loaded);
        Assert.Equal("Alice", loaded.Identity.DisplayName);
        AssertSameJson("""{"team":"blue"}""", loaded.Identity.MetadataJson);
        Assert.Empty(loaded.Samples);
        Assert.Null(loaded.Descriptor);
        Assert.Equal(created.CreatedAt, loaded.Identity.CreatedAt);
    }

    [Fact]
    public async Task Upsert_replaces_the_profile_and_leaves_samples_alone()
    {
        var key = new IdentityKey(NewTenant(), "bob");
        var vectors = new TestVectors(1);
        await Store.AppendSamplesAsync(key, 0, [vectors.Sample("s1")], None);

        var updated = await Store.UpsertIdentityAsync(key, new IdentityProfile("Bob", null), None);
        Assert.Equal("Bob", updated.DisplayName);
        Assert.Null(updated.MetadataJson);
        Assert.Equal(1, updated.SampleCount);
        Assert.Equal(1, updated.Revision);
        Assert.True(updated.UpdatedAt >= updated.CreatedAt);

        var loaded = await Store.LoadIdentityAsync(key, None);
        Assert.Equal(["s1"], loaded!.Samples.Select(s => s.SampleId));
    }

    [Fact]
    public async Task Load_of_an_unknown_identity_is_null()
    {
        Assert.Null(await Store.LoadIdentityAsync(new IdentityKey(NewTenant(), "nobody"), None));
    }

    [Fact]
    public async Task List_pages_through_a_tenant_in_id_order()
    {
        var tenant = NewTenant();
        string[] ids = ["m", "B", "a", "z.9", "a:1", "Z", "0"];
        foreach (var id in ids)
        {
            await Store.UpsertIdentityAsync(new IdentityKey(tenant, id), new IdentityProfile(null, null), None);
        }

        await Store.UpsertIdentityAsync(new IdentityKey(NewTenant(), "other-tenant"), new IdentityProfile(null, null), None);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        while (true)
        {
            var page = await Store.ListIdentitiesAsync(tenant, 3, cursor, None);
            if (page.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= 3);
            Assert.All(page, r => Assert.Equal(tenant, r.Tenant));
            seen.AddRange(page.Select(r => r.IdentityId));
            cursor = page[^1].IdentityId;
            pages++;
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Delete_erases_the_identity_its_samples_and_its_descriptor()
    {
        var tenant = NewTenant();
        var key = new IdentityKey(tenant, "carol");
        var vectors = new TestVectors(2);
        var change = await Store.AppendSamplesAsync(key, 0, [vectors.Sample("s1"), vectors.Sample("s2")], None);
        var descriptor = vectors.Unit();
        Assert.True(await Store.SaveDescriptorAsync(key, Descriptor(descriptor, change.Revision, 2), None));

        Assert.True(await Store.DeleteIdentityAsync(key, None));

        Assert.Null(await Store.LoadIdentityAsync(key, None));
        Assert.Empty(await Store.SearchAsync(tenant, descriptor, 5, None));
        Assert.Empty(await Store.ListIdentitiesAsync(tenant, 10, null, None));
        Assert.False(await Store.DeleteIdentityAsync(key, None));

        // Enrolling again starts from nothing: the old samples are gone, not hidden.
        var again = await Store.AppendSamplesAsync(key, 0, [vectors.Sample("s2")], None);
        Assert.Equal(["s2"], again.Accepted);
        Assert.Empty(again.Duplicates);
        Assert.Equal(1, again.Revision);
        var loaded = await Store.LoadIdentityAsync(key, None);
        Assert.Equal(["s2"], loaded!.Samples.Select(s => s.SampleId));
        Assert.Null(loaded.Descriptor);
    }

    [Fact]
    public async Task Append_creates_the_identity_and_is_idempotent_per_sample_id()
    {
        var key = new IdentityKey(NewTenant(), "dave");
        var vectors = new TestVectors(3);
        var a = vectors.Sample("a", 0.9f, "hash-a");
        var b = vectors.Sample("b", 0.5f);
        var c = vectors.Sample("c", 0.1f);

        var first = await Store.AppendSamplesAsync(key, 0, [a, b], None);
        Assert.Equal(["a", "b"], first.Accepted);
        Assert.Empty(first.Duplicates);
        Assert.Equal(1, first.Revision);
        Assert.Null(first.CurrentSamples);

        // b again, with a different vector: a duplicate, never modified.
        var bAgain = b with { Embedding = vectors.Unit(), Quality = 0.99f };
        var second = await Store.AppendSamplesAsync(key, 1, [bAgain, c], None);
        Assert.Equal(["c"], second.Accepted);
        Assert.Equal(["b"], second.Duplicates);
        Assert.Equal(2, second.Revision);
        Assert.Null(second.CurrentSamples);

        var third = await Store.AppendSamplesAsync(key, 2, [a], None);
        Assert.Empty(third.Accepted);
        Assert.Equal(["a"], third.Duplicates);
        Assert.Equal(2, third.Revision);
        Assert.Null(third.CurrentSamples);

        var loaded = await Store.LoadIdentityAsync(key, None);
        Assert.Equal(2, loaded!.Identity.Revision);
        Assert.Equal(3, loaded.Identity.SampleCount);
        Assert.Equal(["a", "b", "c"], loaded.Samples.Select(s => s.SampleId));
        AssertSameSample(a, loaded.Samples[0]);
        AssertSameSample(b, loaded.Samples[1]);
        AssertSameSample(c, loaded.Samples[2]);
    }

    [Fact]
    public async Task A_stale_revision_gets_the_full_sample_list_back()
    {
        var key = new IdentityKey(NewTenant(), "erin");
        var vectors = new TestVectors(4);
        await Store.AppendSamplesAsync(key, 0, [vectors.Sample("a")], None);

        // A writer that still believes revision 0 (e.g. an activation that missed a write).
        var stale = await Store.AppendSamplesAsync(key, 0, [vectors.Sample("b")], None);
        Assert.Equal(["b"], stale.Accepted);
        Assert.Equal(2, stale.Revision);
        Assert.NotNull(stale.CurrentSamples);
        Assert.Equal(["a", "b"], stale.CurrentSamples.Select(s => s.SampleId));

        var staleDuplicate = await Store.AppendSamplesAsync(key, 1, [vectors.Sample("a")], None);
        Assert.Empty(staleDuplicate.Accepted);
        Assert.Equal(2, staleDuplicate.Revision);
        Assert.Equal(["a", "b"], staleDuplicate.CurrentSamples!.Select(s => s.SampleId));

        var staleRemove = await Store.RemoveSampleAsync(key, 1, "a", None);
        Assert.Equal(["a"], staleRemove.Accepted);
        Assert.Equal(3, staleRemove.Revision);
        Assert.Equal(["b"], staleRemove.CurrentSamples!.Select(s => s.SampleId));

        var current = await Store.AppendSamplesAsync(key, 3, [vectors.Sample("c")], None);
        Assert.Null(current.CurrentSamples);
        Assert.Equal(4, current.Revision);
    }

    [Fact]
    public async Task Concurrent_appends_to_one_identity_lose_nothing_and_revisions_stay_consistent()
    {
        const int writers = 8;
        const int batchesPerWriter = 6;
        const int samplesPerBatch = 3;
        var key = new IdentityKey(NewTenant(), "frank");
        var revisions = new System.Collections.Concurrent.ConcurrentBag<long>();

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var vectors = new TestVectors(100 + w);
            var mine = new List<string>();
            long expected = 0;
            for (var b = 0; b < batchesPerWriter; b++)
            {
                var batch = Enumerable.Range(0, samplesPerBatch).Select(i => vectors.Sample($"w{w}-b{b}-s{i}")).ToList();
                var change = await Store.AppendSamplesAsync(key, expected, batch, None);
                Assert.Equal(batch.Select(s => s.SampleId), change.Accepted);
                mine.AddRange(change.Accepted);
                revisions.Add(change.Revision);
                if (change.Revision != expected + 1)
                {
                    // Someone wrote in between: the store must say so and show everything, ours included.
                    Assert.NotNull(change.CurrentSamples);
                    var current = change.CurrentSamples.Select(s => s.SampleId).ToHashSet();
                    Assert.Subset(current, mine.ToHashSet());
                    Assert.True(current.Count >= mine.Count);
                }
                else
                {
                    Assert.Null(change.CurrentSamples);
                }

                Assert.True(change.Revision > expected);
                expected = change.Revision;
            }
        })));

        const int total = writers * batchesPerWriter * samplesPerBatch;
        var loaded = await Store.LoadIdentityAsync(key, None);
        Assert.Equal(total, loaded!.Samples.Count);
        Assert.Equal(total, loaded.Identity.SampleCount);
        Assert.Equal(total, loaded.Samples.Select(s => s.SampleId).Distinct().Count());
        Assert.Equal(writers * batchesPerWriter, loaded.Identity.Revision);
        // Every batch got its own revision: no two writers saw the same "after" state.
        Assert.Equal(Enumerable.Range(1, writers * batchesPerWriter).Select(i => (long)i), revisions.Order());
    }

    [Fact]
    public async Task A_descriptor_is_stored_only_over_an_older_version()
    {
        var key = new IdentityKey(NewTenant(), "grace");
        var vectors = new TestVectors(5);
        await Store.AppendSamplesAsync(key, 0, [vectors.Sample("a"), vectors.Sample("b")], None);
        var v2 = Descriptor(vectors.Unit(), 2, 2, ["b", "a"]);

        Assert.True(await Store.SaveDescriptorAsync(key, v2, None));
        Assert.False(await Store.SaveDescriptorAsync(key, Descriptor(vectors.Unit(), 1, 1), None));
        Assert.False(await Store.SaveDescriptorAsync(key, Descriptor(vectors.Unit(), 2, 2), None));

        var loaded = (await Store.LoadIdentityAsync(key, None))!.Descriptor;
        Assert.NotNull(loaded);
        Assert.Equal(2, loaded.Version);
        Assert.Equal(2, loaded.SampleCount);
        Assert.Equal(["b", "a"], loaded.Coreset);
        Assert.Equal("test-aggregator", loaded.AggregatorId);
        Assert.Equal(v2.Vector, loaded.Vector);
        Assert.Equal(v2.UpdatedAt, loaded.UpdatedAt);

        var v3 = Descriptor(vectors.Unit(), 3, 2);
        Assert.True(await Store.SaveDescriptorAsync(key, v3, None));
        Assert.Equal(3, (await Store.LoadIdentityAsync(key, None))!.Descriptor!.Version);

        // No identity, no descriptor: a late write must not resurrect an erased identity.
        Assert.False(await Store.SaveDescriptorAsync(new IdentityKey(key.Tenant, "ghost"), v3, None));
        Assert.Null(await Store.LoadIdentityAsync(new IdentityKey(key.Tenant, "ghost"), None));
    }

    [Fact]
    public async Task A_new_aggregator_replaces_a_descriptor_at_the_same_version_and_stale_ones_are_listed()
    {
        var tenant = NewTenant();
        var key = new IdentityKey(tenant, "model-change");
        var fresh = new IdentityKey(tenant, "never-described");
        var vectors = new TestVectors(21);
        await Store.AppendSamplesAsync(key, 0, [vectors.Sample("a")], None);
        await Store.AppendSamplesAsync(fresh, 0, [vectors.Sample("b")], None);
        var old = Descriptor(vectors.Unit(), 1, 1);
        Assert.True(await Store.SaveDescriptorAsync(key, old, None));

        // Same model, same version: nothing to replace.
        Assert.False(await Store.SaveDescriptorAsync(key, old with { Vector = vectors.Unit() }, None));
        var stale = await Store.ListStaleDescriptorsAsync("next-model", null, 100, None);
        Assert.Contains(key, stale);
        Assert.Contains(fresh, stale);
        Assert.DoesNotContain(fresh, await Store.ListStaleDescriptorsAsync("next-model", fresh, 100, None)
            .ContinueWith(t => t.Result.Where(k => k.Tenant == tenant && string.CompareOrdinal(k.IdentityId, fresh.IdentityId) <= 0).ToList(), TaskScheduler.Default));

        // Another model over the same samples replaces it, and the identity is no longer stale for it.
        Assert.True(await Store.SaveDescriptorAsync(key, old with { AggregatorId = "next-model", Vector = vectors.Unit() }, None));
        Assert.Equal("next-model", (await Store.LoadIdentityAsync(key, None))!.Descriptor!.AggregatorId);
        Assert.DoesNotContain(key, await Store.ListStaleDescriptorsAsync("next-model", null, 100, None));
        Assert.Contains(key, await Store.ListStaleDescriptorsAsync("test-aggregator", null, 100, None));
    }

    [Fact]
    public async Task Delete_descriptor_takes_the_identity_out_of_search()
    {
        var key = new IdentityKey(NewTenant(), "heidi");
        var vectors = new TestVectors(6);
        await Store.AppendSamplesAsync(key, 0, [vectors.Sample("a")], None);
        var descriptor = vectors.Unit();
        await Store.SaveDescriptorAsync(key, Descriptor(descriptor, 1, 1), None);
        Assert.Single(await Store.SearchAsync(key.Tenant, descriptor, 3, None));

        await Store.DeleteDescriptorAsync(key, None);

        Assert.Empty(await Store.SearchAsync(key.Tenant, descriptor, 3, None));
        Assert.Null((await Store.LoadIdentityAsync(key, None))!.Descriptor);
        await Store.DeleteDescriptorAsync(key, None);
    }

    [Fact]
    public async Task Remove_sample_deletes_one_sample_and_bumps_the_revision()
    {
        var key = new IdentityKey(NewTenant(), "ivan");
        var vectors = new TestVectors(7);
        await Store.AppendSamplesAsync(key, 0, [vectors.Sample("a"), vectors.Sample("b"), vectors.Sample("c")], None);

        var removed = await Store.RemoveSampleAsync(key, 1, "b", None);
        Assert.Equal(["b"], removed.Accepted);
        Assert.Equal(2, removed.Revision);
        Assert.Null(removed.CurrentSamples);

        var missing = await Store.RemoveSampleAsync(key, 2, "b", None);
        Assert.Empty(missing.Accepted);
        Assert.Equal(2, missing.Revision);
        Assert.Null(missing.CurrentSamples);

        var loaded = await Store.LoadIdentityAsync(key, None);
        Assert.Equal(["a", "c"], loaded!.Samples.Select(s => s.SampleId));
        Assert.Equal(2, loaded.Identity.SampleCount);

        // Removing from an identity that does not exist changes nothing and creates nothing.
        var unknown = new IdentityKey(key.Tenant, "nobody");
        var none = await Store.RemoveSampleAsync(unknown, 0, "a", None);
        Assert.Empty(none.Accepted);
        Assert.Equal(0, none.Revision);
        Assert.Null(await Store.LoadIdentityAsync(unknown, None));

        // A removed id can be enrolled again as a new sample.
        var readded = await Store.AppendSamplesAsync(key, 2, [vectors.Sample("b")], None);
        Assert.Equal(["b"], readded.Accepted);
        Assert.Equal(["a", "c", "b"], (await Store.LoadIdentityAsync(key, None))!.Samples.Select(s => s.SampleId));
    }

    [Fact]
    public async Task Search_ranks_by_cosine_similarity_and_respects_k()
    {
        var tenant = NewTenant();
        var vectors = new TestVectors(8);
        var descriptors = new Dictionary<string, float[]>();
        for (var i = 0; i < 30; i++)
        {
            var id = $"person-{i:D2}";
            descriptors[id] = vectors.Unit();
            await SeedDescriptorAsync(new IdentityKey(tenant, id), descriptors[id], vectors);
        }

        var target = descriptors["person-17"];
        var probe = vectors.Near(target, 0.5f);
        var expected = descriptors
            .Select(d => (Id: d.Key, Score: TestVectors.Cosine(probe, d.Value)))
            .OrderByDescending(d => d.Score)
            .ToList();

        var matches = await Store.SearchAsync(tenant, probe, 5, None);

        Assert.Equal(5, matches.Count);
        Assert.Equal("person-17", matches[0].IdentityId);
        Assert.Equal(expected.Take(5).Select(e => e.Id), matches.Select(m => m.IdentityId));
        for (var i = 0; i < matches.Count; i++)
        {
            Assert.Equal(expected[i].Score, matches[i].Score, 4);
        }

        Assert.Single(await Store.SearchAsync(tenant, probe, 1, None));
        Assert.Equal(30, (await Store.SearchAsync(tenant, probe, 100, None)).Count);
    }

    [Fact]
    public async Task A_tenant_never_sees_another_tenants_identities()
    {
        var tenantA = NewTenant();
        var tenantB = NewTenant();
        var vectors = new TestVectors(9);
        var shared = vectors.Unit();
        await SeedDescriptorAsync(new IdentityKey(tenantA, "a-only"), shared, vectors);
        await SeedDescriptorAsync(new IdentityKey(tenantB, "b-only"), vectors.Near(shared, 1.5f), vectors);

        var inB = await Store.SearchAsync(tenantB, shared, 10, None);
        Assert.Equal(["b-only"], inB.Select(m => m.IdentityId));
        var inA = await Store.SearchAsync(tenantA, shared, 10, None);
        Assert.Equal(["a-only"], inA.Select(m => m.IdentityId));
        Assert.Equal(1f, inA[0].Score, 4);

        Assert.Empty(await Store.SearchAsync(NewTenant(), shared, 10, None));
        Assert.Null(await Store.LoadIdentityAsync(new IdentityKey(tenantB, "a-only"), None));
        Assert.False(await Store.DeleteIdentityAsync(new IdentityKey(tenantB, "a-only"), None));
        Assert.NotNull(await Store.LoadIdentityAsync(new IdentityKey(tenantA, "a-only"), None));
    }

    [Fact]
    public async Task Metadata_round_trips()
    {
        var key = new IdentityKey(NewTenant(), "judy");
        const string metadata = """{"name":"Judy Ünal","tags":["a","b"],"age":41,"ratio":0.25,"nested":{"ok":true,"none":null}}""";

        var created = await Store.UpsertIdentityAsync(key, new IdentityProfile("Judy", metadata), None);

        AssertSameJson(metadata, created.MetadataJson);
        AssertSameJson(metadata, (await Store.LoadIdentityAsync(key, None))!.Identity.MetadataJson);
        AssertSameJson(metadata, (await Store.ListIdentitiesAsync(key.Tenant, 10, null, None)).Single().MetadataJson);
    }

    [Fact]
    public async Task Odd_but_valid_ids_work_everywhere()
    {
        var key = new IdentityKey("a.b:c-d_e", "a.b:c-d_e" + Guid.NewGuid().ToString("N")[..6]);
        var vectors = new TestVectors(10);
        await Store.UpsertIdentityAsync(key, new IdentityProfile(null, null), None);
        var change = await Store.AppendSamplesAsync(key, 0, [vectors.Sample("x.y:z-1_2")], None);
        var descriptor = vectors.Unit();
        Assert.True(await Store.SaveDescriptorAsync(key, Descriptor(descriptor, change.Revision, 1, ["x.y:z-1_2"]), None));

        Assert.Contains(await Store.SearchAsync(key.Tenant, descriptor, 10, None), m => m.IdentityId == key.IdentityId);
        Assert.Equal(["x.y:z-1_2"], (await Store.LoadIdentityAsync(key, None))!.Samples.Select(s => s.SampleId));
        Assert.Equal(["x.y:z-1_2"], (await Store.RemoveSampleAsync(key, 1, "x.y:z-1_2", None)).Accepted);
        Assert.True(await Store.DeleteIdentityAsync(key, None));
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_stable_code()
    {
        var key = new IdentityKey(NewTenant(), "kim");
        var vectors = new TestVectors(11);

        await AssertCodeAsync(ErrorCodes.InvalidEmbedding, () => Store.AppendSamplesAsync(key, 0, [new FaceSample("a", new float[3], 0.5f, "m")], None));
        await AssertCodeAsync(ErrorCodes.InvalidQuality, () => Store.AppendSamplesAsync(key, 0, [vectors.Sample("a", 1.5f)], None));
        await AssertCodeAsync(ErrorCodes.DuplicateSampleId, () => Store.AppendSamplesAsync(key, 0, [vectors.Sample("a"), vectors.Sample("a")], None));
        await AssertCodeAsync(ErrorCodes.InvalidId, () => Store.AppendSamplesAsync(new IdentityKey(key.Tenant, "no/slash"), 0, [vectors.Sample("a")], None));
        await AssertCodeAsync(ErrorCodes.InvalidRequest, () => Store.UpsertIdentityAsync(key, new IdentityProfile(null, "[1,2]"), None));
        await AssertCodeAsync(ErrorCodes.InvalidK, () => Store.SearchAsync(key.Tenant, vectors.Unit(), 0, None));
        await AssertCodeAsync(ErrorCodes.InvalidEmbedding, () => Store.SearchAsync(key.Tenant, new float[Dimension], 3, None));
        await AssertCodeAsync(ErrorCodes.InvalidEmbedding, () => Store.SaveDescriptorAsync(key, Descriptor(new float[7], 1, 1), None));

        Assert.Null(await Store.LoadIdentityAsync(key, None));
    }

    protected static StoredDescriptor Descriptor(float[] vector, long version, int sampleCount, IReadOnlyList<string>? coreset = null) =>
        new(vector, version, sampleCount, coreset ?? [], "test-aggregator",
            new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(version * 10));

    /// <summary>An identity with one sample and the given descriptor.</summary>
    protected async Task SeedDescriptorAsync(IdentityKey key, float[] descriptor, TestVectors vectors)
    {
        var change = await Store.AppendSamplesAsync(key, 0, [vectors.Sample("seed")], None);
        Assert.True(await Store.SaveDescriptorAsync(key, Descriptor(descriptor, change.Revision, 1, ["seed"]), None));
    }

    protected static void AssertSameJson(string expected, string? actual)
    {
        Assert.NotNull(actual);
        using var a = JsonDocument.Parse(expected);
        using var b = JsonDocument.Parse(actual);
        Assert.True(JsonElement.DeepEquals(a.RootElement, b.RootElement), $"expected {expected}, got {actual}");
    }

    private static void AssertSameSample(FaceSample expected, StoredSample actual)
    {
        Assert.Equal(expected.SampleId, actual.SampleId);
        Assert.Equal(expected.Embedding, actual.Embedding);
        Assert.Equal(expected.Quality, actual.Quality);
        Assert.Equal(expected.ModelId, actual.ModelId);
        Assert.Equal(expected.ContentHash, actual.ContentHash);
        Assert.True(actual.CreatedAt > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    private static async Task AssertCodeAsync(string code, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<GalleryException>(action);
        Assert.Equal(code, error.Code);
    }
}
