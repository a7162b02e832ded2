using System.Diagnostics;
using FaceGallery.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FaceGallery.SearchBench;

/// <summary>
/// The store's exact scan and its HNSW search at one ef_search, probe by probe in alternation, so both see
/// the same machine load (on a shared machine, separate runs minutes apart are not comparable). Also the
/// CPU time of the database's backends per query, which load inflates far less than wall time.
/// </summary>
/// <remarks>
/// CPU is read from the server's processes, so it is only known when PostgreSQL runs on this machine;
/// parallel workers live only for their query and are not counted (the plans say whether there were any).
/// </remarks>
public static class ExactVersusHnsw
{
    public static async Task<ExactVersusHnswResult> MeasureAsync(
        NpgsqlDataSource dataSource, PostgresStoreOptions exactOptions, PostgresStoreOptions hnswOptions,
        string tenant, IReadOnlyList<float[]> probes, int k, CancellationToken cancellationToken)
    {
        using var exact = new PostgresGalleryStore(dataSource, Options.Create(exactOptions), NullLogger<PostgresGalleryStore>.Instance);
        using var hnsw = new PostgresGalleryStore(dataSource, Options.Create(hnswOptions), NullLogger<PostgresGalleryStore>.Instance);
        foreach (var probe in probes.Take(10))
        {
            await exact.SearchAsync(tenant, probe, k, cancellationToken);
            await hnsw.SearchAsync(tenant, probe, k, cancellationToken);
        }

        var (exactWall, hnswWall) = (new Latency(), new Latency());
        var (exactCpu, hnswCpu) = (TimeSpan.Zero, TimeSpan.Zero);
        foreach (var probe in probes)
        {
            exactCpu += await TimedAsync(exact, probe, exactWall);
            hnswCpu += await TimedAsync(hnsw, probe, hnswWall);
        }

        async Task<TimeSpan> TimedAsync(PostgresGalleryStore store, float[] probe, Latency wall)
        {
            var before = await BackendCpuAsync(dataSource, cancellationToken);
            var start = Stopwatch.GetTimestamp();
            await store.SearchAsync(tenant, probe, k, cancellationToken);
            wall.Add(start);
            return await BackendCpuAsync(dataSource, cancellationToken) - before;
        }

        static string Scan(IReadOnlyList<string> plan) =>
            (plan.Any(l => l.Contains("Index Scan", StringComparison.Ordinal)) ? "index" : "seq scan")
            + (plan.Any(l => l.Contains("Gather", StringComparison.Ordinal)) ? " (parallel)" : "");

        return new ExactVersusHnswResult(
            hnswOptions.EfSearch,
            exactWall,
            hnswWall,
            exactCpu.TotalMilliseconds / probes.Count,
            hnswCpu.TotalMilliseconds / probes.Count,
            Scan(await exact.ExplainSearchAsync(tenant, probes[0], k, cancellationToken)),
            Scan(await hnsw.ExplainSearchAsync(tenant, probes[0], k, cancellationToken)));
    }

    /// <summary>User + system time of every backend connected to this database; zero when they are not local processes.</summary>
    private static async Task<TimeSpan> BackendCpuAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
        var total = TimeSpan.Zero;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            try
            {
                using var process = Process.GetProcessById(reader.GetInt32(0));
                total += process.TotalProcessorTime;
            }
            catch (ArgumentException)
            {
                // Not a process of this machine (remote server), or it has just exited.
            }
        }

        return total;
    }
}

/// <summary>Interleaved exact and HNSW searches: wall latency, mean backend CPU per query, and the plans used.</summary>
public sealed record ExactVersusHnswResult(int EfSearch, Latency Exact, Latency Hnsw, double ExactCpuMs, double HnswCpuMs, string ExactPlan, string HnswPlan);
