using System.Data;
using FaceGallery.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FaceGallery.Storage.Postgres;

/// <summary>
/// The cluster-mode gallery: identities, samples and descriptors in PostgreSQL, k-NN through
/// pgvector's HNSW index. Descriptors are list-partitioned by tenant, each partition with its own
/// HNSW graph, so a tenant's search runs on its own index at full recall instead of filtering a
/// shared graph (see <see cref="TenantPartitions"/> and docs/storage.md).
/// </summary>
public sealed class PostgresGalleryStore : IGalleryStore, IDisposable
{
    /// <summary>DI key of the store's own data source (it maps pgvector's types).</summary>
    public const string DataSourceKey = "FaceGallery.Gallery";

    private readonly NpgsqlDataSource dataSource;
    private readonly PostgresStoreOptions options;
    private readonly ILogger<PostgresGalleryStore> logger;
    private readonly TenantPartitions partitions;
    private readonly TenantSizes sizes;
    private readonly SemaphoreSlim initializeGate = new(1, 1);
    private volatile bool initialized;

    public PostgresGalleryStore(
        [FromKeyedServices(DataSourceKey)] NpgsqlDataSource dataSource,
        IOptions<PostgresStoreOptions> options,
        ILogger<PostgresGalleryStore> logger)
    {
        this.dataSource = dataSource;
        this.options = options.Value;
        this.logger = logger;
        partitions = new TenantPartitions(dataSource, this.options, logger);
        sizes = new TenantSizes(this.options, TimeProvider.System, logger);
    }

    public Task InitializeAsync(CancellationToken cancellationToken) =>
        RunAsync(null, _ => Task.FromResult(true), cancellationToken);

    public Task<IdentityRecord> UpsertIdentityAsync(IdentityKey key, IdentityProfile profile, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        StoreArguments.Profile(profile);
        return RunAsync(key.Tenant, async connection =>
        {
            await using var command = GallerySql.UpsertIdentity(connection, key, profile);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return GallerySql.ReadIdentity(reader);
        }, cancellationToken);
    }

    public Task<IdentitySnapshot?> LoadIdentityAsync(IdentityKey key, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        return RunAsync(null, async connection =>
        {
            // One snapshot for all three reads, so samples and descriptor belong to the same moment.
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            await using var batch = GallerySql.LoadIdentity(connection, transaction, key);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            var identity = GallerySql.ReadIdentity(reader);
            await reader.NextResultAsync(cancellationToken);
            var samples = new List<StoredSample>(identity.SampleCount);
            while (await reader.ReadAsync(cancellationToken))
            {
                samples.Add(GallerySql.ReadSample(reader));
            }

            await reader.NextResultAsync(cancellationToken);
            var descriptor = await reader.ReadAsync(cancellationToken) ? GallerySql.ReadDescriptor(reader) : null;
            return new IdentitySnapshot(identity, samples, descriptor);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<IdentityRecord>> ListIdentitiesAsync(string tenant, int limit, string? afterId, CancellationToken cancellationToken)
    {
        StoreArguments.Tenant(tenant);
        StoreArguments.Page(limit);
        return RunAsync<IReadOnlyList<IdentityRecord>>(null, async connection =>
        {
            await using var command = GallerySql.ListIdentities(connection, tenant, limit, afterId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var page = new List<IdentityRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(GallerySql.ReadListedIdentity(reader));
            }

            return page;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<IdentityKey>> ListStaleDescriptorsAsync(string aggregatorId, IdentityKey? after, int limit, CancellationToken cancellationToken)
    {
        StoreArguments.Page(limit);
        return RunAsync<IReadOnlyList<IdentityKey>>(null, async connection =>
        {
            await using var command = GallerySql.ListStaleDescriptors(connection, aggregatorId, after, limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var keys = new List<IdentityKey>();
            while (await reader.ReadAsync(cancellationToken))
            {
                keys.Add(new IdentityKey(reader.GetString(0), reader.GetString(1)));
            }

            return keys;
        }, cancellationToken);
    }

    public Task<bool> DeleteIdentityAsync(IdentityKey key, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        return RunAsync(null, async connection =>
        {
            await using var command = GallerySql.DeleteIdentity(connection, key);
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);
    }

    public Task<SampleChange> AppendSamplesAsync(IdentityKey key, long expectedRevision, IReadOnlyList<FaceSample> samples, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        StoreArguments.Samples(samples, options.Dimension);
        return RunAsync(key.Tenant, async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            long before;
            long after;
            var accepted = new HashSet<string>(StringComparer.Ordinal);
            await using (var batch = GallerySql.AppendSamples(connection, transaction, key, samples))
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                before = reader.GetInt64(0);
                after = before;
                await reader.NextResultAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    accepted.Add(reader.GetString(0));
                    after = reader.GetInt64(2);
                }
            }

            var current = before == expectedRevision ? null : await ReadSamplesAsync(connection, transaction, key, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new SampleChange(
                after,
                samples.Where(s => accepted.Contains(s.SampleId)).Select(s => s.SampleId).ToList(),
                samples.Where(s => !accepted.Contains(s.SampleId)).Select(s => s.SampleId).ToList(),
                current);
        }, cancellationToken);
    }

    public Task<SampleChange> RemoveSampleAsync(IdentityKey key, long expectedRevision, string sampleId, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        SampleRules.ValidateId(sampleId, "sample id");
        return RunAsync(null, async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            long before = 0;
            long? after = null;
            await using (var batch = GallerySql.RemoveSample(connection, transaction, key, sampleId))
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    before = reader.GetInt64(0);
                }

                await reader.NextResultAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    after = reader.GetInt64(0);
                }
            }

            var current = before == expectedRevision ? null : await ReadSamplesAsync(connection, transaction, key, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new SampleChange(after ?? before, after is null ? [] : [sampleId], [], current);
        }, cancellationToken);
    }

    public Task<bool> SaveDescriptorAsync(IdentityKey key, StoredDescriptor descriptor, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        StoreArguments.Descriptor(descriptor, options.Dimension);
        return RunAsync(key.Tenant, async connection =>
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await using var command = GallerySql.SaveDescriptor(connection, key, descriptor);
                    return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
                {
                    // The identity was erased meanwhile: its descriptor must not come back.
                    return false;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && attempt == 0)
                {
                    // "No partition for this row": the cached partition was dropped under us.
                    StorageLog.PartitionMissing(logger, key.Tenant);
                    partitions.Forget(key.Tenant);
                    await partitions.EnsureAsync(key.Tenant, cancellationToken);
                }
            }
        }, cancellationToken);
    }

    public Task DeleteDescriptorAsync(IdentityKey key, CancellationToken cancellationToken)
    {
        StoreArguments.Key(key);
        return RunAsync(null, async connection =>
        {
            await using var command = GallerySql.DeleteDescriptor(connection, key);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<GalleryMatch>> SearchAsync(string tenant, ReadOnlyMemory<float> probe, int k, CancellationToken cancellationToken) =>
        RunSearchAsync(tenant, probe, k, explain: false,
            reader => new GalleryMatch(reader.GetString(0), (float)(1.0 - reader.GetDouble(1))), cancellationToken);

    /// <summary>PostgreSQL's plan for the query <see cref="SearchAsync"/> would run now, one line per plan row.</summary>
    internal Task<IReadOnlyList<string>> ExplainSearchAsync(string tenant, ReadOnlyMemory<float> probe, int k, CancellationToken cancellationToken) =>
        RunSearchAsync(tenant, probe, k, explain: true, reader => reader.GetString(0), cancellationToken);

    /// <summary>Runs the search batch (or its EXPLAIN) in one transaction and reads every row of its result.</summary>
    private Task<IReadOnlyList<T>> RunSearchAsync<T>(string tenant, ReadOnlyMemory<float> probe, int k, bool explain,
        Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        StoreArguments.Tenant(tenant);
        StoreArguments.Search(probe.Span, k, options.Dimension);
        return RunAsync<IReadOnlyList<T>>(null, async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var batch = await SearchBatchAsync(connection, transaction, tenant, probe, k, explain, cancellationToken);
            var rows = new List<T>(k);
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(read(reader));
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return rows;
        }, cancellationToken);
    }

    /// <summary>The data source belongs to the container; only the store's own gate is released here.</summary>
    public void Dispose() => initializeGate.Dispose();

    /// <summary>An exact scan for a small tenant, else the HNSW query.</summary>
    private async Task<NpgsqlBatch> SearchBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, ReadOnlyMemory<float> probe, int k, bool explain, CancellationToken cancellationToken) =>
        await sizes.SearchExactlyAsync(connection, tenant, cancellationToken)
            ? GallerySql.ExactSearchBatch(connection, transaction, probe, tenant, k, explain)
            // HNSW returns at most ef_search rows, so a large k raises it for this query.
            : GallerySql.SearchBatch(connection, transaction, Math.Max(options.EfSearch, k), probe, tenant, k, explain);

    private static async Task<IReadOnlyList<StoredSample>> ReadSamplesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IdentityKey key, CancellationToken cancellationToken)
    {
        await using var command = GallerySql.Samples(connection, transaction, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var samples = new List<StoredSample>();
        while (await reader.ReadAsync(cancellationToken))
        {
            samples.Add(GallerySql.ReadSample(reader));
        }

        return samples;
    }

    /// <summary>
    /// Runs one operation on a pooled connection after making sure the schema (and, for writes, the
    /// tenant's partition) exists; turns "database unreachable" into <c>storage_unavailable</c>.
    /// </summary>
    private async Task<T> RunAsync<T>(string? writeTenant, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            if (!initialized)
            {
                await InitializeOnceAsync(cancellationToken);
            }

            if (writeTenant is not null)
            {
                await partitions.EnsureAsync(writeTenant, cancellationToken);
            }

            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await work(connection);
        }
        catch (Exception e) when (PostgresFailures.IsUnavailable(e))
        {
            StorageLog.PostgresUnavailable(logger, (e as PostgresException)?.SqlState, e);

            // After a database restart every idle pooled connection is dead; dropping them now means
            // the next request opens a fresh one instead of failing on the next dead connection.
            dataSource.Clear();
            throw PostgresFailures.Unavailable(e);
        }
    }

    private async Task InitializeOnceAsync(CancellationToken cancellationToken)
    {
        await initializeGate.WaitAsync(cancellationToken);
        try
        {
            if (!initialized)
            {
                await new MigrationRunner(dataSource, options, logger).RunAsync(cancellationToken);
                initialized = true;
            }
        }
        finally
        {
            initializeGate.Release();
        }
    }
}
