using FaceGallery.Contracts;
using FaceGallery.Storage.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FaceGallery.Storage.Tests;

/// <summary>The contract suite on the file-backed store, plus its durability and locking promises.</summary>
public sealed class EmbeddedGalleryStoreTests : GalleryStoreContract, IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly string directory = Path.Combine(Path.GetTempPath(), "facegallery-storage-tests", Guid.NewGuid().ToString("N"));
    private readonly List<ServiceProvider> providers = [];
    private readonly EmbeddedGalleryStore store;

    public EmbeddedGalleryStoreTests()
    {
        store = Open();
    }

    protected override IGalleryStore Store => store;

    private string JournalPath => Path.Combine(directory, GalleryFiles.JournalName);

    [Fact]
    public async Task Everything_survives_dispose_and_reopen()
    {
        var vectors = new TestVectors(30);
        var tenant = NewTenant();
        var alice = new IdentityKey(tenant, "alice");
        var bob = new IdentityKey(tenant, "bob");
        await store.UpsertIdentityAsync(alice, new IdentityProfile("Alice", """{"k":1}"""), None);
        await store.AppendSamplesAsync(alice, 0, [vectors.Sample("a1", 0.7f, "h1"), vectors.Sample("a2"), vectors.Sample("a3")], None);
        await store.RemoveSampleAsync(alice, 1, "a2", None);
        await store.SaveDescriptorAsync(alice, Descriptor(vectors.Unit(), 2, 2, ["a3", "a1"]), None);
        await store.AppendSamplesAsync(bob, 0, [vectors.Sample("b1")], None);
        await store.SaveDescriptorAsync(bob, Descriptor(vectors.Unit(), 1, 1), None);
        await store.DeleteDescriptorAsync(bob, None);
        await store.AppendSamplesAsync(new IdentityKey(tenant, "carol"), 0, [vectors.Sample("c1")], None);
        await store.DeleteIdentityAsync(new IdentityKey(tenant, "carol"), None);
        var probe = vectors.Unit();
        var before = await Capture(store, tenant, probe);

        store.Dispose();
        using var reopened = Open();

        var after = await Capture(reopened, tenant, probe);
        Assert.Equal(before, after);
        Assert.Equal(2, (await reopened.LoadIdentityAsync(alice, None))!.Identity.Revision);
        Assert.Equal(["a1", "a3"], (await reopened.LoadIdentityAsync(alice, None))!.Samples.Select(s => s.SampleId));
        Assert.Equal(["a2"], (await reopened.AppendSamplesAsync(alice, 2, [vectors.Sample("a2")], None)).Accepted);
    }

    [Fact]
    public async Task A_torn_journal_tail_is_cut_off_with_a_warning_and_writing_goes_on()
    {
        var vectors = new TestVectors(31);
        var key = new IdentityKey(NewTenant(), "dana");
        await store.AppendSamplesAsync(key, 0, [vectors.Sample("s1")], None);
        await store.AppendSamplesAsync(key, 1, [vectors.Sample("s2")], None);
        store.Dispose();
        var intactLength = new FileInfo(JournalPath).Length;

        // A crash in the middle of the next append: a frame header promising more than was written.
        var torn = JournalCodec.Frame(new SamplesAppended(key, 3, DateTimeOffset.UtcNow, [new StoredSample("s3", vectors.Unit(), 0.5f, "m", null, DateTimeOffset.UtcNow)]));
        await using (var journal = new FileStream(JournalPath, FileMode.Append))
        {
            journal.Write(torn.AsSpan(0, torn.Length / 2));
        }

        var logs = new CollectingLoggerProvider();
        using var reopened = Open(logs);
        var loaded = await reopened.LoadIdentityAsync(key, None);

        Assert.Equal(["s1", "s2"], loaded!.Samples.Select(s => s.SampleId));
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.EventId.Id == 1101);
        Assert.Equal(intactLength, new FileInfo(JournalPath).Length);
        Assert.Single(Directory.GetFiles(directory, GalleryFiles.JournalName + ".tail-*"));

        Assert.Equal(["s3"], (await reopened.AppendSamplesAsync(key, 2, [vectors.Sample("s3")], None)).Accepted);
        reopened.Dispose();
        using var again = Open();
        Assert.Equal(["s1", "s2", "s3"], (await again.LoadIdentityAsync(key, None))!.Samples.Select(s => s.SampleId));
    }

    [Fact]
    public async Task A_corrupt_last_record_is_dropped_and_earlier_ones_kept()
    {
        var vectors = new TestVectors(32);
        var key = new IdentityKey(NewTenant(), "eve");
        await store.AppendSamplesAsync(key, 0, [vectors.Sample("s1")], None);
        await store.UpsertIdentityAsync(key, new IdentityProfile("Eve", null), None);
        store.Dispose();

        // Flip one byte inside the last record's payload: its checksum no longer holds.
        await using (var journal = new FileStream(JournalPath, FileMode.Open, FileAccess.ReadWrite))
        {
            journal.Seek(-3, SeekOrigin.End);
            var b = journal.ReadByte();
            journal.Seek(-3, SeekOrigin.End);
            journal.WriteByte((byte)(b ^ 0x5A));
        }

        var logs = new CollectingLoggerProvider();
        using var reopened = Open(logs);
        var loaded = await reopened.LoadIdentityAsync(key, None);

        Assert.Equal(["s1"], loaded!.Samples.Select(s => s.SampleId));
        Assert.Null(loaded.Identity.DisplayName);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 1101 && e.Message.Contains("checksum", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_store_on_the_same_directory_is_refused()
    {
        await store.InitializeAsync(None);

        using var second = Open(initialize: false);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => second.InitializeAsync(None));

        Assert.Contains("in use by another FaceGallery process", error.Message, StringComparison.Ordinal);
        Assert.Contains(directory, error.Message, StringComparison.Ordinal);

        store.Dispose();
        await second.InitializeAsync(None);
    }

    [Fact]
    public async Task Compaction_keeps_everything_and_restarts_the_journal()
    {
        store.Dispose();
        using var small = Open(compactionThreshold: 16 * 1024);
        var vectors = new TestVectors(33);
        var tenant = NewTenant();
        for (var i = 0; i < 60; i++)
        {
            var key = new IdentityKey(tenant, $"p{i:D2}");
            var change = await small.AppendSamplesAsync(key, 0, [vectors.Sample("a"), vectors.Sample("b")], None);
            await small.SaveDescriptorAsync(key, Descriptor(vectors.Unit(), change.Revision, 2), None);
            if (i % 3 == 0)
            {
                await small.RemoveSampleAsync(key, 1, "a", None);
            }

            if (i % 10 == 0)
            {
                await small.DeleteIdentityAsync(key, None);
            }
        }

        Assert.True(File.Exists(Path.Combine(directory, GalleryFiles.SnapshotName)));
        Assert.True(new FileInfo(JournalPath).Length < 16 * 1024 + 4096);
        var probe = vectors.Unit();
        var before = await Capture(small, tenant, probe);
        small.Dispose();

        using var reopened = Open();
        Assert.Equal(before, await Capture(reopened, tenant, probe));
        Assert.Equal(54, (await reopened.ListIdentitiesAsync(tenant, 100, null, None)).Count);
    }

    [Fact]
    public async Task Reopening_with_another_dimension_fails_fast()
    {
        await store.AppendSamplesAsync(new IdentityKey(NewTenant(), "x"), 0, [new TestVectors(34).Sample("a")], None);
        store.Dispose();

        using var wrong = Open(dimension: 512, initialize: false);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => wrong.InitializeAsync(None));

        Assert.Contains("128", error.Message, StringComparison.Ordinal);
        Assert.Contains("512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loaded_samples_are_copies_the_caller_cannot_corrupt()
    {
        var key = new IdentityKey(NewTenant(), "frank");
        var sample = new TestVectors(35).Sample("a");
        var original = (float[])sample.Embedding.Clone();
        await store.AppendSamplesAsync(key, 0, [sample], None);
        sample.Embedding[0] = 42f;

        var loaded = await store.LoadIdentityAsync(key, None);
        loaded!.Samples[0].Embedding[1] = 42f;

        Assert.Equal(original, (await store.LoadIdentityAsync(key, None))!.Samples[0].Embedding);
    }

    public void Dispose()
    {
        store.Dispose();
        foreach (var provider in providers)
        {
            provider.Dispose();
        }

        Directory.Delete(directory, recursive: true);
    }

    private EmbeddedGalleryStore Open(CollectingLoggerProvider? logs = null, long? compactionThreshold = null, int dimension = Dimension, bool initialize = true)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        services.AddEmbeddedGalleryStore(options =>
        {
            options.DataPath = directory;
            options.Dimension = dimension;
            if (compactionThreshold is { } threshold)
            {
                options.CompactionThresholdBytes = threshold;
            }
        });
        var provider = services.BuildServiceProvider();
        providers.Add(provider);
        var opened = provider.GetRequiredService<EmbeddedGalleryStore>();
        if (initialize)
        {
            opened.InitializeAsync(None).GetAwaiter().GetResult();
        }

        return opened;
    }

    /// <summary>Everything observable about a tenant, as text, to compare before and after a restart.</summary>
    private static async Task<string> Capture(EmbeddedGalleryStore target, string tenant, float[] probe)
    {
        var lines = new List<string>();
        foreach (var record in await target.ListIdentitiesAsync(tenant, 1000, null, None))
        {
            var snapshot = (await target.LoadIdentityAsync(new IdentityKey(tenant, record.IdentityId), None))!;
            lines.Add(snapshot.Identity.ToString());
            lines.AddRange(snapshot.Samples.Select(s => $"{s.SampleId} {s.Quality} {s.ModelId} {s.ContentHash} {s.CreatedAt:O} {string.Join(',', s.Embedding)}"));
            if (snapshot.Descriptor is { } d)
            {
                lines.Add($"{d.Version} {d.SampleCount} {string.Join(',', d.Coreset)} {d.AggregatorId} {d.UpdatedAt:O} {string.Join(',', d.Vector)}");
            }
        }

        lines.AddRange((await target.SearchAsync(tenant, probe, 1000, None)).Select(m => $"{m.IdentityId} {m.Score}"));
        return string.Join('\n', lines);
    }
}
