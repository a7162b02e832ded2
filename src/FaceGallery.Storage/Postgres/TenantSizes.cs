using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FaceGallery.Storage.Postgres;

/// <summary>
/// Decides per search whether a tenant's partition is small enough for an exact scan
/// (<see cref="PostgresStoreOptions.ExactBelow"/>), from PostgreSQL's row-count estimate of the
/// partition, read at most once per <see cref="PostgresStoreOptions.RowEstimateRefreshSeconds"/>.
/// </summary>
/// <remarks>
/// Why: below some size an exact scan is as fast as an HNSW search at the configured ef_search and
/// never misses (docs/benchmarks.md "Search at scale"). An estimate is enough: near the threshold
/// both methods cost about the same, and counting rows would cost as much as the search.
/// </remarks>
internal sealed class TenantSizes(PostgresStoreOptions options, TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, Estimate> estimates = new(StringComparer.Ordinal);

    /// <summary>True when the tenant's search should scan its partition exactly.</summary>
    public async ValueTask<bool> SearchExactlyAsync(NpgsqlConnection connection, string tenant, CancellationToken cancellationToken)
    {
        if (options.ExactBelow <= 0)
        {
            return false;
        }

        var now = time.GetTimestamp();
        if (estimates.TryGetValue(tenant, out var known)
            && time.GetElapsedTime(known.ReadAt, now).TotalSeconds < options.RowEstimateRefreshSeconds)
        {
            return known.Rows < options.ExactBelow;
        }

        await using var command = GallerySql.PartitionRowEstimate(connection, TenantPartitions.PartitionName(tenant));
        // No partition yet: the tenant has no descriptors, and an exact scan of nothing is free.
        var rows = await command.ExecuteScalarAsync(cancellationToken) is long count ? count : 0;
        var exact = rows < options.ExactBelow;
        estimates[tenant] = new Estimate(rows, now);
        if (known is null || known.Rows < options.ExactBelow != exact)
        {
            StorageLog.SearchMethodChosen(logger, tenant, rows, exact ? "exact scan" : "HNSW index");
        }

        return exact;
    }

    private sealed record Estimate(long Rows, long ReadAt);
}
