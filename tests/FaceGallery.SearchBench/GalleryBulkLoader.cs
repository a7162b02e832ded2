using System.Diagnostics;
using System.Globalization;
using FaceGallery.Storage.Postgres;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace FaceGallery.SearchBench;

/// <summary>
/// Loads a benchmark gallery into the store's own schema (created by <c>PostgresGalleryStore.InitializeAsync</c>,
/// the tenant partition by the store's <see cref="TenantPartitions"/>) by binary COPY straight into the
/// tables, then builds the tenant's HNSW index as its own timed step.
/// </summary>
/// <remarks>
/// Going through the store's write path (one transaction per identity, two round trips, HNSW insert per row)
/// would take hours at 1 M rows and would time incremental inserts, not the index build. So the loader drops
/// the schema's HNSW index, COPYs identities, descriptors and (optionally) face samples, and re-creates the
/// index exactly as migration 0001 declares it: first on the parent only, then built on the partition, then
/// attached, which leaves the catalog as the migration would.
/// </remarks>
public sealed class GalleryBulkLoader(NpgsqlDataSource dataSource, string tenant)
{
    public const string ParentIndex = "identity_descriptors_hnsw";

    public string Partition { get; } = TenantPartitions.PartitionName(tenant);

    public string PartitionIndex => Partition + "_hnsw";

    public static string IdentityId(int identity) => "id" + identity.ToString("D7", CultureInfo.InvariantCulture);

    public static string SampleId(int identity, int face) => IdentityId(identity) + "-f" + face.ToString(CultureInfo.InvariantCulture);

    public async Task DropIndexAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DROP INDEX IF EXISTS " + ParentIndex);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// COPYs every identity with its set descriptor and, when <paramref name="withFaces"/>, its face samples;
    /// <paramref name="onDescriptor"/> and <paramref name="onFace"/> see every vector written (for the exact
    /// in-memory indexes). Without <paramref name="copy"/> it only generates them (a database loaded earlier
    /// from the same seed holds exactly these).
    /// </summary>
    public async Task LoadAsync(
        ClusteredIdentities identities,
        int count,
        int facesPerIdentity,
        bool withFaces,
        Action<int, float[]> onDescriptor,
        Action<int, int, float[]> onFace,
        CancellationToken cancellationToken,
        bool copy = true)
    {
        var updated = DateTime.UtcNow;
        var coreset = Enumerable.Range(0, Math.Min(3, facesPerIdentity)).Select(f => "f" + f.ToString(CultureInfo.InvariantCulture)).ToArray();
        await using var identityConnection = copy ? await dataSource.OpenConnectionAsync(cancellationToken) : null;
        await using var descriptorConnection = copy ? await dataSource.OpenConnectionAsync(cancellationToken) : null;
        await using var faceConnection = copy && withFaces ? await dataSource.OpenConnectionAsync(cancellationToken) : null;
        await using var identityWriter = identityConnection is null ? null : await identityConnection.BeginBinaryImportAsync(
            "COPY identities (tenant, identity_id, revision, sample_count) FROM STDIN (FORMAT BINARY)", cancellationToken);
        await using var descriptorWriter = descriptorConnection is null ? null : await descriptorConnection.BeginBinaryImportAsync(
            "COPY " + Partition + " (tenant, identity_id, descriptor, version, sample_count, coreset, aggregator_id, updated_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        await using var faceWriter = faceConnection is null ? null : await faceConnection.BeginBinaryImportAsync(
            "COPY face_samples (tenant, identity_id, sample_id, embedding, quality, model_id) FROM STDIN (FORMAT BINARY)", cancellationToken);

        var face = new float[identities.Dimension];
        var center = new float[identities.Dimension];
        var descriptor = new float[identities.Dimension];
        var progress = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var id = IdentityId(i);
            if (identityWriter is not null)
            {
                await identityWriter.StartRowAsync(cancellationToken);
                await identityWriter.WriteAsync(tenant, NpgsqlDbType.Text, cancellationToken);
                await identityWriter.WriteAsync(id, NpgsqlDbType.Text, cancellationToken);
                await identityWriter.WriteAsync((long)facesPerIdentity, NpgsqlDbType.Bigint, cancellationToken);
                await identityWriter.WriteAsync(facesPerIdentity, NpgsqlDbType.Integer, cancellationToken);
            }

            descriptor.AsSpan().Clear();
            identities.Center(i, center);
            for (var f = 0; f < facesPerIdentity; f++)
            {
                identities.Face(center, i, f, face);
                System.Numerics.Tensors.TensorPrimitives.Add(descriptor, face, descriptor);
                onFace(i, f, face);
                if (faceWriter is not null)
                {
                    await faceWriter.StartRowAsync(cancellationToken);
                    await faceWriter.WriteAsync(tenant, NpgsqlDbType.Text, cancellationToken);
                    await faceWriter.WriteAsync(id, NpgsqlDbType.Text, cancellationToken);
                    await faceWriter.WriteAsync(SampleId(i, f), NpgsqlDbType.Text, cancellationToken);
                    await faceWriter.WriteAsync(new Vector(face.ToArray()), cancellationToken);
                    await faceWriter.WriteAsync(1f, NpgsqlDbType.Real, cancellationToken);
                    await faceWriter.WriteAsync("searchbench", NpgsqlDbType.Text, cancellationToken);
                }
            }

            // The set descriptor: the unit mean of the faces, standing in for the FaceCoresetNet aggregate
            // (also a normalised combination of the faces).
            System.Numerics.Tensors.TensorPrimitives.Divide(descriptor, System.Numerics.Tensors.TensorPrimitives.Norm(descriptor), descriptor);
            onDescriptor(i, descriptor);
            if (descriptorWriter is not null)
            {
                await descriptorWriter.StartRowAsync(cancellationToken);
                await descriptorWriter.WriteAsync(tenant, NpgsqlDbType.Text, cancellationToken);
                await descriptorWriter.WriteAsync(id, NpgsqlDbType.Text, cancellationToken);
                await descriptorWriter.WriteAsync(new Vector(descriptor.ToArray()), cancellationToken);
                await descriptorWriter.WriteAsync((long)facesPerIdentity, NpgsqlDbType.Bigint, cancellationToken);
                await descriptorWriter.WriteAsync(facesPerIdentity, NpgsqlDbType.Integer, cancellationToken);
                await descriptorWriter.WriteAsync(coreset, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await descriptorWriter.WriteAsync("searchbench-mean", NpgsqlDbType.Text, cancellationToken);
                await descriptorWriter.WriteAsync(updated, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            if (progress.Elapsed > TimeSpan.FromSeconds(30))
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  loaded {i + 1:N0} of {count:N0}"));
                progress.Restart();
            }
        }

        // Identities first: the other two tables reference them, and each COPY commits on its own.
        if (identityWriter is not null && descriptorWriter is not null)
        {
            await identityWriter.CompleteAsync(cancellationToken);
            await descriptorWriter.CompleteAsync(cancellationToken);
        }

        if (faceWriter is not null)
        {
            await faceWriter.CompleteAsync(cancellationToken);
        }
    }

    public async Task AnalyzeAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("VACUUM (ANALYZE) identities, face_samples, " + Partition);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Builds the partition's HNSW index as migration 0001 declares it and attaches it to the parent's.
    /// <paramref name="progress"/> is called every <paramref name="pollInterval"/> with pg_stat_progress_create_index.
    /// </summary>
    public async Task<TimeSpan> BuildIndexAsync(int m, int efConstruction, TimeSpan pollInterval, Action<TimeSpan, string> progress, CancellationToken cancellationToken)
    {
        var with = string.Create(CultureInfo.InvariantCulture, $"USING hnsw (descriptor vector_cosine_ops) WITH (m = {m}, ef_construction = {efConstruction})");
        await using (var parent = dataSource.CreateCommand("CREATE INDEX " + ParentIndex + " ON ONLY identity_descriptors " + with))
        {
            await parent.ExecuteNonQueryAsync(cancellationToken);
        }

        using var stopPolling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        var poller = PollProgressAsync(clock, pollInterval, progress, stopPolling.Token);
        try
        {
            await using var build = dataSource.CreateCommand("CREATE INDEX " + PartitionIndex + " ON " + Partition + " " + with);
            build.CommandTimeout = 0;
            await build.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await stopPolling.CancelAsync();
            await poller;
        }

        var elapsed = clock.Elapsed;
        await using (var attach = dataSource.CreateCommand("ALTER INDEX " + ParentIndex + " ATTACH PARTITION " + PartitionIndex))
        {
            await attach.ExecuteNonQueryAsync(cancellationToken);
        }

        return elapsed;
    }

    /// <summary>Reads the table and index into shared buffers, so the first searches do not time disk reads.</summary>
    public async Task PrewarmAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "CREATE EXTENSION IF NOT EXISTS pg_prewarm; SELECT pg_prewarm('" + Partition + "'), pg_prewarm('" + PartitionIndex + "')");
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<long> RelationBytesAsync(string relation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT pg_relation_size($1::regclass)");
        command.Parameters.Add(new NpgsqlParameter { Value = relation });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task PollProgressAsync(Stopwatch clock, TimeSpan interval, Action<TimeSpan, string> progress, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, cancellationToken);
                await using var command = dataSource.CreateCommand(
                    "SELECT phase, tuples_done, tuples_total, blocks_done, blocks_total FROM pg_stat_progress_create_index WHERE relid = $1::regclass");
                command.Parameters.Add(new NpgsqlParameter { Value = Partition });
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var text = await reader.ReadAsync(cancellationToken)
                    ? string.Create(CultureInfo.InvariantCulture,
                        $"{reader.GetString(0)}, tuples {reader.GetInt64(1):N0}/{reader.GetInt64(2):N0}, blocks {reader.GetInt64(3):N0}/{reader.GetInt64(4):N0}")
                    : "no progress row";
                progress(clock.Elapsed, text);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The build finished or was cancelled.
        }
    }
}
