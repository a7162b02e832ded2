using System.Numerics.Tensors;
using FaceGallery.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceGallery.Storage.Embedded;

/// <summary>
/// The single-process gallery for running with nothing installed: state in memory, every change
/// journaled and fsynced under the data directory before it is acknowledged, exact search.
/// Same semantics as the PostgreSQL store (revisions, duplicates, stale sample lists, descriptor
/// versions); both pass one contract suite.
/// </summary>
/// <remarks>
/// Writers queue on one gate, decide the change against the current state, make it durable, then
/// publish it under a write lock; readers take a read lock and never see a change that is not on
/// disk. A process holds the directory exclusively (see <see cref="DataDirectoryLock"/>).
/// </remarks>
public sealed class EmbeddedGalleryStore : IGalleryStore, IDisposable
{
    private readonly EmbeddedStoreOptions options;
    private readonly ILogger<EmbeddedGalleryStore> logger;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private readonly ReaderWriterLockSlim stateLock = new(LockRecursionPolicy.NoRecursion);
    private GalleryState? state;
    private GalleryFiles? files;
    private bool disposed;
    private bool erasurePending;

    public EmbeddedGalleryStore(IOptions<EmbeddedStoreOptions> options, ILogger<EmbeddedGalleryStore> logger, TimeProvider? time = null)
    {
        this.options = options.Value;
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>The full path of the data directory.</summary>
    public string DataPath => Path.GetFullPath(options.DataPath);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            EnsureOpen();
        }
        finally
        {
            writeGate.Release();
        }
    }

    public Task<IdentityRecord> UpsertIdentityAsync(IdentityKey key, IdentityProfile profile, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        StoreArguments.Profile(profile);
        return WriteAsync(current =>
        {
            Commit(new IdentityUpserted(key, profile.DisplayName, profile.MetadataJson, Now()));
            return current.Find(key)!.ToRecord();
        }, cancellationToken);
    }

    public async Task<IdentitySnapshot?> LoadIdentityAsync(IdentityKey key, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        return await ReadAsync(current =>
        {
            var identity = current.Find(key);
            return identity is null
                ? null
                : new IdentitySnapshot(identity.ToRecord(), CopySamples(identity), identity.Descriptor is { } d ? Copy(d) : null);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<IdentityRecord>> ListIdentitiesAsync(string tenant, int limit, string? afterId, CancellationToken cancellationToken)
    {
        StoreArguments.Tenant(tenant);
        StoreArguments.Page(limit);
        return await ReadAsync<IReadOnlyList<IdentityRecord>>(current =>
        {
            if (current.Tenant(tenant) is not { } t || t.Ids.Count == 0)
            {
                return [];
            }

            // Ids are at most 128 characters of [A-Za-z0-9._:-]; U+FFFF sorts after all of them.
            var from = afterId ?? "";
            IEnumerable<string> ids = string.CompareOrdinal(from, t.Ids.Max) >= 0 ? [] : t.Ids.GetViewBetween(from, "\uffff");
            return ids.Where(id => string.CompareOrdinal(id, from) > 0)
                .Take(limit)
                .Select(id => t.Identities[id].ToListedRecord())
                .ToList();
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<IdentityKey>> ListStaleDescriptorsAsync(string aggregatorId, IdentityKey? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.Page(limit);
        return await ReadAsync<IReadOnlyList<IdentityKey>>(current => current.Tenants()
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .SelectMany(t => t.State.Ids.Select(id => t.State.Identities[id]))
            .Where(i => i.Samples.Count > 0
                && (i.Descriptor is null || i.Descriptor.AggregatorId != aggregatorId || i.Descriptor.Version != i.Revision))
            .Select(i => i.Key)
            .Where(k => after is not { } a || string.CompareOrdinal(k.Tenant, a.Tenant) > 0
                || (k.Tenant == a.Tenant && string.CompareOrdinal(k.IdentityId, a.IdentityId) > 0))
            .Take(limit)
            .ToList(), cancellationToken);
    }

    public Task<bool> DeleteIdentityAsync(IdentityKey key, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        return WriteAsync(current =>
        {
            if (current.Find(key) is null)
            {
                return false;
            }

            Commit(new IdentityDeleted(key));
            // The snapshot and journal still hold the erased samples: rewrite them now so the
            // person's data leaves the disk with the delete, not at some later compaction.
            erasurePending = options.CompactOnErase;
            return true;
        }, cancellationToken);
    }

    public Task<SampleChange> AppendSamplesAsync(IdentityKey key, long expectedRevision, IReadOnlyList<FaceSample> samples, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        StoreArguments.Samples(samples, options.Dimension);
        return WriteAsync(current =>
        {
            var identity = current.Find(key);
            var before = identity?.Revision ?? 0;
            var accepted = new List<FaceSample>(samples.Count);
            var duplicates = new List<string>();
            foreach (var sample in samples)
            {
                if (identity is not null && identity.SampleIds.Contains(sample.SampleId))
                {
                    duplicates.Add(sample.SampleId);
                }
                else
                {
                    accepted.Add(sample);
                }
            }

            var after = before;
            if (accepted.Count > 0)
            {
                var at = Now();
                after = before + 1;
                Commit(new SamplesAppended(key, after, at, accepted
                    .Select(s => new StoredSample(s.SampleId, (float[])s.Embedding.Clone(), s.Quality, s.ModelId, s.ContentHash, at))
                    .ToList()));
            }

            var stale = before != expectedRevision ? CopySamples(current.Find(key)) : null;
            return new SampleChange(after, accepted.Select(s => s.SampleId).ToList(), duplicates, stale);
        }, cancellationToken);
    }

    public Task<SampleChange> RemoveSampleAsync(IdentityKey key, long expectedRevision, string sampleId, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        SampleRules.ValidateId(sampleId, "sample id");
        return WriteAsync(current =>
        {
            var identity = current.Find(key);
            var before = identity?.Revision ?? 0;
            var after = before;
            if (identity is not null && identity.SampleIds.Contains(sampleId))
            {
                after = before + 1;
                Commit(new SampleRemoved(key, sampleId, after, Now()));
            }

            var stale = before != expectedRevision ? CopySamples(identity) : null;
            return new SampleChange(after, after == before ? [] : [sampleId], [], stale);
        }, cancellationToken);
    }

    public Task<bool> SaveDescriptorAsync(IdentityKey key, StoredDescriptor descriptor, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        StoreArguments.Descriptor(descriptor, options.Dimension);
        return WriteAsync(current =>
        {
            var identity = current.Find(key);
            // Newer versions win; at the same version only a descriptor from another aggregator (a model change) replaces it.
            if (identity is null || (identity.Descriptor is { } stored
                && (stored.Version > descriptor.Version || (stored.Version == descriptor.Version && stored.AggregatorId == descriptor.AggregatorId))))
            {
                return false;
            }

            Commit(new DescriptorSaved(key, Copy(descriptor with { UpdatedAt = descriptor.UpdatedAt.ToUniversalTime() })));
            return true;
        }, cancellationToken);
    }

    public Task DeleteDescriptorAsync(IdentityKey key, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        return WriteAsync(current =>
        {
            if (current.Find(key)?.Descriptor is null)
            {
                return false;
            }

            Commit(new DescriptorDeleted(key));
            return true;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<GalleryMatch>> SearchAsync(string tenant, ReadOnlyMemory<float> probe, int k, CancellationToken cancellationToken)
    {
        StoreArguments.Tenant(tenant);
        StoreArguments.Search(probe.Span, k, options.Dimension);
        var unit = probe.ToArray();
        TensorPrimitives.Divide(unit, TensorPrimitives.Norm(unit), unit);
        return await ReadAsync<IReadOnlyList<GalleryMatch>>(
            current => current.Tenant(tenant)?.Descriptors.Search(unit, k) ?? [],
            cancellationToken);
    }

    public void Dispose()
    {
        writeGate.Wait();
        try
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            files?.Dispose();
        }
        finally
        {
            writeGate.Release();
        }

        // The gate and lock stay usable (not disposed) so late callers get ObjectDisposedException, not a crash in a lock.
    }

    private async Task<T> ReadAsync<T>(Func<GalleryState, T> read, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref state) is null)
        {
            await InitializeAsync(cancellationToken);
        }

        stateLock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return read(state!);
        }
        finally
        {
            stateLock.ExitReadLock();
        }
    }

    private async Task<T> WriteAsync<T>(Func<GalleryState, T> write, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            EnsureOpen();
            if (files!.IsBroken)
            {
                throw new GalleryException(ErrorCodes.StorageUnavailable,
                    "The embedded gallery stopped accepting writes after a failed journal write; restart the server.");
            }

            var result = write(state!);
            CompactIfDue();
            return result;
        }
        finally
        {
            writeGate.Release();
        }
    }

    /// <summary>Durable first, visible second. Called only by a writer holding the gate.</summary>
    private void Commit(JournalRecord record)
    {
        try
        {
            files!.Append(JournalCodec.Frame(record));
        }
        catch (IOException e)
        {
            throw new GalleryException("The embedded gallery could not write its journal.", e) { Code = ErrorCodes.StorageUnavailable };
        }

        stateLock.EnterWriteLock();
        try
        {
            state!.Apply(record);
        }
        finally
        {
            stateLock.ExitWriteLock();
        }
    }

    private void CompactIfDue()
    {
        if (files!.JournalLength < options.CompactionThresholdBytes && !erasurePending)
        {
            return;
        }

        erasurePending = false;

        // The write that got us here is already durable: a failed compaction must not fail it.
        try
        {
            files.Compact(state!);
        }
        catch (IOException e)
        {
            StorageLog.CompactionFailed(logger, e);
        }
    }

    /// <summary>Opens the directory on first use. Called with the write gate held.</summary>
    private void EnsureOpen()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (state is not null)
        {
            return;
        }

        var loaded = new GalleryState(options.Dimension);
        files = GalleryFiles.Open(DataPath, options.Dimension, loaded, logger);
        Volatile.Write(ref state, loaded);
        CompactIfDue();
    }

    /// <summary>Microsecond precision, as PostgreSQL's timestamptz keeps it.</summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
    }

    private static List<StoredSample> CopySamples(IdentityState? identity) =>
        identity?.Samples.Select(s => s with { Embedding = (float[])s.Embedding.Clone() }).ToList() ?? [];

    private static StoredDescriptor Copy(StoredDescriptor descriptor) =>
        descriptor with { Vector = (float[])descriptor.Vector.Clone(), Coreset = descriptor.Coreset.ToArray() };
}
