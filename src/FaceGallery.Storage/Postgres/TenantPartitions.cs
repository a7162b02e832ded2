using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FaceGallery.Storage.Postgres;

/// <summary>
/// Creates each tenant's partition of <c>identity_descriptors</c> on the tenant's first write.
/// </summary>
/// <remarks>
/// Why partitions: an HNSW scan filtered by <c>WHERE tenant = …</c> over one shared graph returns too
/// few rows when the tenant is a small share of the table, and iterative scans still lose recall
/// (FACTS.md). A list partition per tenant carries its own HNSW index (declared on the parent), and
/// partition pruning sends a tenant's k-NN query to that index alone, at full recall.
/// Creation is serialised across processes by an advisory lock; known tenants are cached.
/// </remarks>
internal sealed class TenantPartitions(NpgsqlDataSource dataSource, PostgresStoreOptions options, ILogger logger)
{
    private const string Prefix = "descriptors_";
    private const int ReadablePartLength = 32;

    private readonly ConcurrentDictionary<string, bool> known = new(StringComparer.Ordinal);

    /// <summary>
    /// A table name for a tenant: a readable, lower-cased part for people reading the catalog plus a
    /// hash of the exact tenant, so "Acme" and "acme" never collide; at most 57 of PostgreSQL's 63 bytes.
    /// </summary>
    public static string PartitionName(string tenant)
    {
        var readable = new StringBuilder(ReadablePartLength);
        foreach (var c in tenant)
        {
            if (readable.Length == ReadablePartLength)
            {
                break;
            }

            readable.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenant)), 0, 6);
        return string.Concat(Prefix, readable.ToString(), "_", hash);
    }

    public ValueTask EnsureAsync(string tenant, CancellationToken cancellationToken) =>
        known.ContainsKey(tenant) ? ValueTask.CompletedTask : new ValueTask(CreateAsync(tenant, cancellationToken));

    /// <summary>Drops the cached knowledge, e.g. when a write found the partition missing.</summary>
    public void Forget(string tenant) => known.TryRemove(tenant, out _);

    private async Task CreateAsync(string tenant, CancellationToken cancellationToken)
    {
        var partition = PartitionName(tenant);
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var lockCommand = GallerySql.AcquirePartitionLock(connection, transaction))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            bool exists;
            await using (var existsCommand = GallerySql.PartitionExists(connection, transaction, partition))
            {
                exists = (bool)(await existsCommand.ExecuteScalarAsync(cancellationToken))!;
            }

            if (!exists)
            {
                await using var create = GallerySql.CreatePartition(connection, transaction, partition, tenant);
                create.CommandTimeout = options.DdlCommandTimeoutSeconds;
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            if (!exists)
            {
                StorageLog.PartitionCreated(logger, partition, tenant);
            }
        }

        known.TryAdd(tenant, true);
    }
}
