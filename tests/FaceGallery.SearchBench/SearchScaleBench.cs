using System.Diagnostics;
using System.Globalization;
using FaceGallery.Storage.Embedded;
using FaceGallery.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector;
using Pgvector.Npgsql;

namespace FaceGallery.SearchBench;

/// <summary>
/// One gallery size: fresh database with the store's schema, bulk load, timed HNSW build, then the same
/// probes through the store's HNSW search (per ef_search), the same SQL with index scans off (exact), the
/// embedded store's exact SIMD index, and per-example exact search over every face.
/// </summary>
public sealed class SearchScaleBench(BenchSettings settings, ClusteredIdentities identities, TextWriter log)
{
    private const string Tenant = "bench";

    // GallerySql.Search on face_samples: what a per-example gallery (every enrolled face a row) runs.
    private const string PerExampleSearch =
        "SELECT identity_id, embedding <=> $1 AS distance FROM face_samples WHERE tenant = $2 ORDER BY embedding <=> $1 LIMIT $3";

    public async Task<ScaleResult> RunAsync(int size, CancellationToken cancellationToken)
    {
        // A name of its own, so runs (and the smoke test) never meet on a shared server.
        var reuse = settings.ReuseDatabase is not null;
        var database = settings.ReuseDatabase ?? string.Create(CultureInfo.InvariantCulture, $"searchbench_{size}_{Guid.NewGuid().ToString("N")[..8]}");
        Log($"[{size:N0}] database {database}{(reuse ? " (reused)" : "")}");
        if (!reuse)
        {
            await AdminAsync($"CREATE DATABASE {database}", cancellationToken);
        }

        try
        {
            // No command timeout: completing a 1 M-row COPY outlasted Npgsql's 30 s default here.
            var connection = new NpgsqlConnectionStringBuilder(settings.Connection) { Database = database, MaxPoolSize = 10, CommandTimeout = 0 }.ConnectionString;
            var builder = new NpgsqlDataSourceBuilder(connection);
            builder.UseVector();
            await using var dataSource = builder.Build();
            return await MeasureAsync(size, connection, dataSource, cancellationToken);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (!settings.Keep && !reuse)
            {
                await AdminAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
            }
        }
    }

    private async Task<ScaleResult> MeasureAsync(int size, string connection, NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var reuse = settings.ReuseDatabase is not null;
        var options = StoreOptions(connection, settings.EfSearch[0]);
        var loader = new GalleryBulkLoader(dataSource, Tenant);
        if (!reuse)
        {
            using (var store = new PostgresGalleryStore(dataSource, Options.Create(options), NullLogger<PostgresGalleryStore>.Instance))
            {
                await store.InitializeAsync(cancellationToken);
            }

            await new TenantPartitions(dataSource, options, NullLogger.Instance).EnsureAsync(Tenant, cancellationToken);
            await loader.DropIndexAsync(cancellationToken);
        }

        var embedded = new DescriptorIndex(identities.Dimension);
        var perExample = new DescriptorIndex(identities.Dimension);
        var withFaces = size <= settings.FacesInPostgresMax;
        Log($"[{size:N0}] {(reuse ? "generating" : "loading")} {size:N0} identities × {settings.Faces} faces (faces into PostgreSQL: {withFaces && !reuse})");
        var clock = Stopwatch.StartNew();
        await loader.LoadAsync(identities, size, settings.Faces, withFaces,
            (i, v) => embedded.Set(GalleryBulkLoader.IdentityId(i), v),
            (i, f, v) => perExample.Set(GalleryBulkLoader.SampleId(i, f), v),
            cancellationToken,
            copy: !reuse);
        if (!reuse)
        {
            await loader.AnalyzeAsync(cancellationToken);
        }

        var load = clock.Elapsed;
        Log($"[{size:N0}] {(reuse ? "generated" : "loaded and analysed")} in {load.TotalSeconds:F1} s");

        if (reuse)
        {
            await WaitForIndexAsync(size, dataSource, loader, cancellationToken);
        }

        var (build, buildNote) = reuse
            ? (null, "reused database: load and HNSW build times are those of the run that made it")
            : await BuildAsync(size, loader, cancellationToken);
        var indexed = build is not null || reuse;

        var tableBytes = await loader.RelationBytesAsync(loader.Partition, cancellationToken);
        var indexBytes = indexed ? await loader.RelationBytesAsync(loader.PartitionIndex, cancellationToken) : 0;
        if (indexed)
        {
            await loader.PrewarmAsync(cancellationToken);
        }

        // Probes: a fresh face (one not enrolled) of an enrolled identity.
        var random = new Random(settings.Seed);
        var probes = new List<(int Identity, float[] Vector)>(settings.Probes);
        for (var p = 0; p < settings.Probes; p++)
        {
            var identity = random.Next(size);
            var vector = new float[identities.Dimension];
            identities.Face(identity, settings.Faces + p, vector);
            probes.Add((identity, vector));
        }

        var truth = new List<HashSet<string>>(probes.Count);
        var exactFirst = new List<string>(probes.Count);
        var embeddedLatency = new Latency();
        var mate = new List<double>();
        var impostor = new List<double>();
        var descriptorTop1 = 0;
        foreach (var (identity, vector) in probes)
        {
            var start = Stopwatch.GetTimestamp();
            var matches = embedded.Search(vector, settings.K);
            embeddedLatency.Add(start);
            truth.Add(matches.Select(m => m.IdentityId).ToHashSet(StringComparer.Ordinal));
            exactFirst.Add(matches[0].IdentityId);
            var mateId = GalleryBulkLoader.IdentityId(identity);
            descriptorTop1 += matches[0].IdentityId == mateId ? 1 : 0;
            var mateMatch = matches.FirstOrDefault(m => m.IdentityId == mateId);
            if (mateMatch is not null)
            {
                mate.Add(mateMatch.Score);
            }

            impostor.Add(matches.First(m => m.IdentityId != mateId).Score);
        }

        Log($"[{size:N0}] embedded exact p50 {embeddedLatency.P50:F2} ms");
        var perExampleLatency = new Latency();
        var perExampleTop1 = 0;
        var perExampleProbes = probes.Take(settings.PerExampleProbes ?? probes.Count).ToList();
        foreach (var (identity, vector) in perExampleProbes)
        {
            var start = Stopwatch.GetTimestamp();
            var matches = perExample.Search(vector, settings.K);
            perExampleLatency.Add(start);
            perExampleTop1 += matches[0].IdentityId.StartsWith(GalleryBulkLoader.IdentityId(identity) + "-", StringComparison.Ordinal) ? 1 : 0;
        }

        Log($"[{size:N0}] embedded per-example exact p50 {perExampleLatency.P50:F2} ms");
        var exactProbes = probes.Take(settings.ExactProbes).ToList();
        // The store's own exact path (what ExactBelow picks for small tenants); recall must be 1.
        var exact = await StoreSearchAsync(dataSource, StoreOptions(connection, settings.EfSearch[0], exactBelow: int.MaxValue), exactProbes, truth, exactFirst, 1, cancellationToken);
        var (exactLatency, exactRecall) = (exact.Latency, exact.RecallAt10);
        Log($"[{size:N0}] postgres exact p50 {exactLatency.P50:F1} ms, recall {exactRecall:F3}");
        Latency? perExamplePostgres = null;
        if (withFaces)
        {
            perExamplePostgres = await PerExampleExactAsync(dataSource, exactProbes, cancellationToken);
            Log($"[{size:N0}] postgres per-example exact p50 {perExamplePostgres.P50:F1} ms");
        }

        var hnsw = new List<HnswResult>();
        if (indexed)
        {
            foreach (var ef in settings.EfSearch)
            {
                hnsw.Add(await StoreSearchAsync(dataSource, StoreOptions(connection, ef, exactBelow: 0), probes, truth, exactFirst, 20, cancellationToken));
                Log($"[{size:N0}] ef_search {ef}: p50 {hnsw[^1].Latency.P50:F2} ms p99 {hnsw[^1].Latency.P99:F2} ms recall@10 {hnsw[^1].RecallAt10:F4} top-1 = exact {hnsw[^1].Top1Agreement:F4} mate@1 {hnsw[^1].MateAtTop1:F4}");
            }
        }

        ExactVersusHnswResult? versus = null;
        if (indexed && settings.CompareEfSearch is { } compareEf)
        {
            versus = await ExactVersusHnsw.MeasureAsync(dataSource, StoreOptions(connection, compareEf, exactBelow: int.MaxValue),
                StoreOptions(connection, compareEf, exactBelow: 0), Tenant, probes.Select(p => p.Vector).ToList(), settings.K, cancellationToken);
            Log($"[{size:N0}] interleaved, ef_search {compareEf}: exact p50 {versus.Exact.P50:F2} ms ({versus.ExactPlan}), HNSW p50 {versus.Hnsw.P50:F2} ms ({versus.HnswPlan}); backend CPU {versus.ExactCpuMs:F2} / {versus.HnswCpuMs:F2} ms per query");
        }

        return new ScaleResult(size, load, build, buildNote, tableBytes, indexBytes, embeddedLatency, perExampleLatency,
            (double)perExampleTop1 / perExampleProbes.Count, (double)descriptorTop1 / probes.Count,
            CosineSummary.Of(mate), CosineSummary.Of(impostor), exactLatency, exactRecall, perExamplePostgres, hnsw, versus);
    }

    /// <summary>A reused database's index may still be building (by hand, without the bench's timeout): wait for it.</summary>
    private async Task WaitForIndexAsync(int size, NpgsqlDataSource dataSource, GalleryBulkLoader loader, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var command = dataSource.CreateCommand("SELECT coalesce((SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)), false)");
            command.Parameters.Add(new NpgsqlParameter { Value = loader.PartitionIndex });
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }

            Log($"[{size:N0}] waiting for index {loader.PartitionIndex}");
            await Task.Delay(TimeSpan.FromSeconds(20), cancellationToken);
        }
    }

    /// <summary>The timed HNSW build, or null and why when it outlasted <see cref="BenchSettings.BuildTimeout"/>.</summary>
    private async Task<(TimeSpan? Build, string? Note)> BuildAsync(int size, GalleryBulkLoader loader, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.BuildTimeout);
        var last = "";
        try
        {
            var build = await loader.BuildIndexAsync(settings.M, settings.EfConstruction, TimeSpan.FromSeconds(30),
                (at, text) =>
                {
                    last = string.Create(CultureInfo.InvariantCulture, $"after {at.TotalSeconds:F0} s: {text}");
                    Log($"[{size:N0}] hnsw build {last}");
                },
                timeout.Token);
            Log($"[{size:N0}] hnsw build {build.TotalSeconds:F1} s");
            return (build, null);
        }
        catch (Exception e) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested && e is OperationCanceledException or NpgsqlException)
        {
            var note = $"HNSW build cancelled at the {settings.BuildTimeout.TotalMinutes:F0}-minute limit; last progress {last}";
            Log($"[{size:N0}] {note}");
            return (null, note);
        }
    }

    /// <summary>
    /// The store's own search path: with ExactBelow 0 always SET LOCAL hnsw.ef_search + the HNSW k-NN query,
    /// with ExactBelow int.MaxValue always its exact scan.
    /// </summary>
    private async Task<HnswResult> StoreSearchAsync(NpgsqlDataSource dataSource, PostgresStoreOptions options, List<(int Identity, float[] Vector)> probes, List<HashSet<string>> truth, List<string> exactFirst, int warmUp, CancellationToken cancellationToken)
    {
        using var store = new PostgresGalleryStore(dataSource, Options.Create(options), NullLogger<PostgresGalleryStore>.Instance);
        foreach (var (_, vector) in probes.Take(warmUp))
        {
            await store.SearchAsync(Tenant, vector, settings.K, cancellationToken);
        }

        var latency = new Latency();
        int found = 0, sameFirst = 0, mateFirst = 0;
        for (var p = 0; p < probes.Count; p++)
        {
            var start = Stopwatch.GetTimestamp();
            var matches = await store.SearchAsync(Tenant, probes[p].Vector, settings.K, cancellationToken);
            latency.Add(start);
            found += matches.Count(m => truth[p].Contains(m.IdentityId));
            sameFirst += matches.Count > 0 && matches[0].IdentityId == exactFirst[p] ? 1 : 0;
            mateFirst += matches.Count > 0 && matches[0].IdentityId == GalleryBulkLoader.IdentityId(probes[p].Identity) ? 1 : 0;
        }

        // pgvector costs an HNSW scan by ef_search, so for small partitions the planner may pick a sequential scan itself.
        var plan = await store.ExplainSearchAsync(Tenant, probes[0].Vector, settings.K, cancellationToken);
        var scan = plan.Any(line => line.Contains("Index Scan", StringComparison.Ordinal)) ? "index" : "seq scan";
        return new HnswResult(options.EfSearch, latency, (double)found / (probes.Count * settings.K),
            (double)sameFirst / probes.Count, (double)mateFirst / probes.Count, scan);
    }

    /// <summary>The per-example query with index scans disabled for its transaction: a (parallel) sequential scan and top-k sort.</summary>
    private async Task<Latency> PerExampleExactAsync(NpgsqlDataSource dataSource, List<(int Identity, float[] Vector)> probes, CancellationToken cancellationToken)
    {
        var latency = new Latency();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        for (var p = -1; p < probes.Count; p++)
        {
            // p = -1 is a warm-up of the first probe.
            var vector = probes[Math.Max(p, 0)].Vector;
            var start = Stopwatch.GetTimestamp();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("SET LOCAL enable_indexscan = off"),
                    new NpgsqlBatchCommand(PerExampleSearch)
                    {
                        Parameters = { new() { Value = new Vector(vector) }, new() { Value = Tenant }, new() { Value = settings.K } },
                    },
                },
                Timeout = 0,
            };
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                }
            }

            await transaction.CommitAsync(cancellationToken);
            if (p >= 0)
            {
                latency.Add(start);
            }
        }

        return latency;
    }

    private PostgresStoreOptions StoreOptions(string connection, int efSearch, int exactBelow = 0) => new()
    {
        ConnectionString = connection,
        Dimension = identities.Dimension,
        EfSearch = efSearch,
        ExactBelow = exactBelow,
        HnswM = settings.M,
        HnswEfConstruction = settings.EfConstruction,
        DdlCommandTimeoutSeconds = 86_400,
    };

    private async Task AdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(settings.Connection);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void Log(FormattableString message) =>
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss} ") + message.ToString(CultureInfo.InvariantCulture));
}
