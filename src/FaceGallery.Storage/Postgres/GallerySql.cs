using System.Globalization;
using FaceGallery.Contracts;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace FaceGallery.Storage.Postgres;

/// <summary>
/// Every SQL statement of the PostgreSQL gallery, built as parameterised commands. Column lists and
/// the readers that depend on their order live side by side here.
/// </summary>
internal static class GallerySql
{
    /// <summary>Advisory lock serialising schema migrations across processes ("FGMIGRAT").</summary>
    public const long MigrationLockKey = 0x4647_4D49_4752_4154;

    /// <summary>Advisory lock serialising tenant partition creation across processes ("FGPARTIT").</summary>
    public const long PartitionLockKey = 0x4647_5041_5254_4954;

    /// <summary>
    /// The k-NN query. It must stay exactly <c>ORDER BY descriptor &lt;=&gt; $1 LIMIT $3</c> with no
    /// expression around the distance, or pgvector cannot use the HNSW index; the tenant filter is
    /// resolved by partition pruning, so the scan runs on one tenant's own index.
    /// </summary>
    public const string Search =
        "SELECT identity_id, descriptor <=> $1 AS distance FROM identity_descriptors " +
        "WHERE tenant = $2 ORDER BY descriptor <=> $1 LIMIT $3";

    /// <summary>
    /// The exact k-NN query for small tenants: the same distance, called as the function
    /// <c>cosine_distance</c>, which no index can order by, so PostgreSQL scans the partition and keeps
    /// the top k. Unlike <c>SET LOCAL enable_indexscan = off</c>, this holds for prepared statements too.
    /// </summary>
    public const string ExactSearch =
        "SELECT identity_id, cosine_distance(descriptor, $1) AS distance FROM identity_descriptors " +
        "WHERE tenant = $2 ORDER BY distance LIMIT $3";

    private const string IdentityColumns =
        "tenant, identity_id, display_name, metadata::text, sample_count, revision, created_at, updated_at";

    private const string SampleColumns = "sample_id, embedding, quality, model_id, content_hash, created_at";

    private const string SelectSamples =
        "SELECT " + SampleColumns + " FROM face_samples WHERE tenant = $1 AND identity_id = $2 ORDER BY seq";

    // ---- migrations -------------------------------------------------------------------------

    public static NpgsqlCommand AcquireMigrationLock(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        Command(connection, transaction, "SELECT pg_advisory_xact_lock($1)", Value(MigrationLockKey));

    public static NpgsqlCommand CreateExtension(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        Command(connection, transaction, "CREATE EXTENSION IF NOT EXISTS vector");

    public static NpgsqlCommand CreateMigrationTable(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        Command(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (" +
            "version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");

    public static NpgsqlCommand AppliedMigrations(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        Command(connection, transaction, "SELECT version FROM schema_migrations ORDER BY version");

    public static NpgsqlCommand RecordMigration(NpgsqlConnection connection, NpgsqlTransaction transaction, int version, string name) =>
        Command(connection, transaction, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
            Value(version), Value(name));

    /// <summary>Whether migration 1 has created the settings table yet.</summary>
    public static NpgsqlCommand SettingsExist(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        Command(connection, transaction, "SELECT to_regclass('gallery_settings') IS NOT NULL");

    public static NpgsqlCommand StoredDimension(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        Command(connection, transaction, "SELECT value FROM gallery_settings WHERE name = 'dimension'");

    /// <summary>A migration script; the script is trusted project text, not input.</summary>
    public static NpgsqlCommand Script(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql) =>
        Command(connection, transaction, sql);

    // ---- tenant partitions --------------------------------------------------------------------

    public static NpgsqlCommand AcquirePartitionLock(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        Command(connection, transaction, "SELECT pg_advisory_xact_lock($1)", Value(PartitionLockKey));

    public static NpgsqlCommand PartitionExists(NpgsqlConnection connection, NpgsqlTransaction transaction, string partition) =>
        Command(connection, transaction, "SELECT to_regclass($1) IS NOT NULL", Value(QuoteIdentifier(partition)));

    /// <summary>
    /// DDL cannot take parameters: the tenant is a validated id (no quotes can occur) and is still
    /// quoted as a literal; the table name is derived to contain only [a-z0-9_].
    /// </summary>
    public static NpgsqlCommand CreatePartition(NpgsqlConnection connection, NpgsqlTransaction transaction, string partition, string tenant) =>
        Command(connection, transaction,
            $"CREATE TABLE IF NOT EXISTS {QuoteIdentifier(partition)} PARTITION OF identity_descriptors " +
            $"FOR VALUES IN ({QuoteLiteral(tenant)})");

    /// <summary>
    /// The partition's row count as PostgreSQL knows it without counting: the larger of the catalog's
    /// <c>reltuples</c> (durable, updated by VACUUM, ANALYZE and index builds; -1 before the first) and the
    /// statistics system's live-tuple count (current, but reset by a crash). No row when there is no partition.
    /// </summary>
    public static NpgsqlCommand PartitionRowEstimate(NpgsqlConnection connection, string partition) =>
        Command(connection, null,
            "SELECT greatest(c.reltuples, pg_stat_get_live_tuples(c.oid))::bigint FROM pg_class c " +
            "WHERE c.oid = to_regclass($1)",
            Value(QuoteIdentifier(partition)));

    // ---- identities ---------------------------------------------------------------------------

    public static NpgsqlCommand UpsertIdentity(NpgsqlConnection connection, IdentityKey key, IdentityProfile profile) =>
        Command(connection, null,
            "INSERT INTO identities (tenant, identity_id, display_name, metadata) VALUES ($1, $2, $3, $4) " +
            "ON CONFLICT (tenant, identity_id) DO UPDATE SET display_name = excluded.display_name, " +
            "metadata = excluded.metadata, updated_at = now() RETURNING " + IdentityColumns,
            Value(key.Tenant), Value(key.IdentityId), Text(profile.DisplayName), Jsonb(profile.MetadataJson));

    /// <summary>Identity, samples in insertion order, descriptor: three result sets.</summary>
    public static NpgsqlBatch LoadIdentity(NpgsqlConnection connection, NpgsqlTransaction transaction, IdentityKey key) =>
        Batch(connection, transaction,
            BatchCommand("SELECT " + IdentityColumns + " FROM identities WHERE tenant = $1 AND identity_id = $2",
                Value(key.Tenant), Value(key.IdentityId)),
            BatchCommand(SelectSamples, Value(key.Tenant), Value(key.IdentityId)),
            BatchCommand(
                "SELECT descriptor, version, sample_count, coreset, aggregator_id, updated_at FROM identity_descriptors " +
                "WHERE tenant = $1 AND identity_id = $2",
                Value(key.Tenant), Value(key.IdentityId)));

    /// <summary>
    /// Ids sort in byte order (collation "C"); the empty string precedes every valid id. Each row also
    /// carries its descriptor's version and coreset (NULL without one), read by <see cref="ReadListedIdentity"/>.
    /// </summary>
    public static NpgsqlCommand ListIdentities(NpgsqlConnection connection, string tenant, int limit, string? afterId) =>
        Command(connection, null,
            "SELECT i.tenant, i.identity_id, i.display_name, i.metadata::text, i.sample_count, i.revision, i.created_at, i.updated_at, " +
            "d.version, d.coreset FROM identities i " +
            "LEFT JOIN identity_descriptors d ON d.tenant = i.tenant AND d.identity_id = i.identity_id " +
            "WHERE i.tenant = $1 AND i.identity_id > $2 ORDER BY i.identity_id LIMIT $3",
            Value(tenant), Value(afterId ?? ""), Value(limit));

    public static NpgsqlCommand ListStaleDescriptors(NpgsqlConnection connection, string aggregatorId, IdentityKey? after, int limit) =>
        Command(connection, null,
            "SELECT i.tenant, i.identity_id FROM identities i " +
            "LEFT JOIN identity_descriptors d ON d.tenant = i.tenant AND d.identity_id = i.identity_id " +
            "WHERE i.sample_count > 0 AND (d.identity_id IS NULL OR d.aggregator_id <> $1 OR d.version <> i.revision) " +
            "AND (i.tenant, i.identity_id) > ($2, $3) ORDER BY i.tenant, i.identity_id LIMIT $4",
            Value(aggregatorId), Value(after?.Tenant ?? ""), Value(after?.IdentityId ?? ""), Value(limit));

    /// <summary>Samples and descriptor go with it through ON DELETE CASCADE.</summary>
    public static NpgsqlCommand DeleteIdentity(NpgsqlConnection connection, IdentityKey key) =>
        Command(connection, null, "DELETE FROM identities WHERE tenant = $1 AND identity_id = $2",
            Value(key.Tenant), Value(key.IdentityId));

    // ---- samples ------------------------------------------------------------------------------

    /// <summary>
    /// One round trip: create the identity if needed, lock it and read its revision (result set 1),
    /// insert the samples that are new and bump the revision once when any was (result set 2:
    /// accepted ids with their timestamps and the new revision). Existing samples are never touched.
    /// </summary>
    public static NpgsqlBatch AppendSamples(NpgsqlConnection connection, NpgsqlTransaction transaction, IdentityKey key, IReadOnlyList<FaceSample> samples)
    {
        var ids = new string[samples.Count];
        var embeddings = new Vector[samples.Count];
        var qualities = new float[samples.Count];
        var hashes = new string?[samples.Count];
        var models = new string[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            ids[i] = samples[i].SampleId;
            embeddings[i] = new Vector(samples[i].Embedding);
            qualities[i] = samples[i].Quality;
            hashes[i] = samples[i].ContentHash;
            models[i] = samples[i].ModelId;
        }

        return Batch(connection, transaction,
            EnsureIdentity(key),
            LockIdentity(key),
            BatchCommand(
                "WITH inserted AS (" +
                "INSERT INTO face_samples (tenant, identity_id, sample_id, embedding, quality, content_hash, model_id) " +
                "SELECT $1, $2, s.sample_id, s.embedding, s.quality, s.content_hash, s.model_id " +
                "FROM unnest($3::text[], $4::vector[], $5::real[], $6::text[], $7::text[]) " +
                "WITH ORDINALITY AS s(sample_id, embedding, quality, content_hash, model_id, ord) ORDER BY s.ord " +
                "ON CONFLICT (tenant, identity_id, sample_id) DO NOTHING RETURNING sample_id, created_at), " +
                "bumped AS (" +
                "UPDATE identities SET revision = revision + 1, " +
                "sample_count = sample_count + (SELECT count(*) FROM inserted), updated_at = now() " +
                "WHERE tenant = $1 AND identity_id = $2 AND EXISTS (SELECT 1 FROM inserted) RETURNING revision) " +
                "SELECT i.sample_id, i.created_at, b.revision FROM inserted i CROSS JOIN bumped b",
                Value(key.Tenant), Value(key.IdentityId), Value(ids), Value(embeddings), Value(qualities),
                new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = hashes },
                Value(models)));
    }

    /// <summary>Lock and revision (result set 1), then the new revision when the sample existed (result set 2).</summary>
    public static NpgsqlBatch RemoveSample(NpgsqlConnection connection, NpgsqlTransaction transaction, IdentityKey key, string sampleId) =>
        Batch(connection, transaction,
            LockIdentity(key),
            BatchCommand(
                "WITH deleted AS (" +
                "DELETE FROM face_samples WHERE tenant = $1 AND identity_id = $2 AND sample_id = $3 RETURNING sample_id), " +
                "bumped AS (" +
                "UPDATE identities SET revision = revision + 1, sample_count = sample_count - 1, updated_at = now() " +
                "WHERE tenant = $1 AND identity_id = $2 AND EXISTS (SELECT 1 FROM deleted) RETURNING revision) " +
                "SELECT revision FROM bumped",
                Value(key.Tenant), Value(key.IdentityId), Value(sampleId)));

    public static NpgsqlCommand Samples(NpgsqlConnection connection, NpgsqlTransaction transaction, IdentityKey key) =>
        Command(connection, transaction, SelectSamples, Value(key.Tenant), Value(key.IdentityId));

    // ---- descriptors --------------------------------------------------------------------------

    /// <summary>Inserts, or replaces only an older version; affects no row when the stored one is as new or newer.</summary>
    public static NpgsqlCommand SaveDescriptor(NpgsqlConnection connection, IdentityKey key, StoredDescriptor descriptor) =>
        Command(connection, null,
            "INSERT INTO identity_descriptors " +
            "(tenant, identity_id, descriptor, version, sample_count, coreset, aggregator_id, updated_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) " +
            "ON CONFLICT (tenant, identity_id) DO UPDATE SET descriptor = excluded.descriptor, " +
            "version = excluded.version, sample_count = excluded.sample_count, coreset = excluded.coreset, " +
            "aggregator_id = excluded.aggregator_id, updated_at = excluded.updated_at " +
            "WHERE identity_descriptors.version < excluded.version " +
            // Same samples, new model: a descriptor from another aggregator replaces it at the same version.
            "OR (identity_descriptors.version = excluded.version AND identity_descriptors.aggregator_id <> excluded.aggregator_id)",
            Value(key.Tenant), Value(key.IdentityId), Value(new Vector(descriptor.Vector)), Value(descriptor.Version),
            Value(descriptor.SampleCount), Value(descriptor.Coreset.ToArray()), Value(descriptor.AggregatorId),
            Value(descriptor.UpdatedAt.ToUniversalTime()));

    public static NpgsqlCommand DeleteDescriptor(NpgsqlConnection connection, IdentityKey key) =>
        Command(connection, null, "DELETE FROM identity_descriptors WHERE tenant = $1 AND identity_id = $2",
            Value(key.Tenant), Value(key.IdentityId));

    /// <summary>
    /// <c>SET LOCAL</c> scopes ef_search to the caller's transaction, then the HNSW k-NN query; with
    /// <paramref name="explain"/> the query's plan instead of its rows.
    /// </summary>
    public static NpgsqlBatch SearchBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, int efSearch, ReadOnlyMemory<float> probe, string tenant, int k, bool explain = false) =>
        Batch(connection, transaction,
            new NpgsqlBatchCommand(SetEfSearch(efSearch)),
            BatchCommand(Explained(Search, explain), Value(new Vector(probe)), Value(tenant), Value(k)));

    /// <summary>The exact k-NN query (<see cref="ExactSearch"/>); with <paramref name="explain"/> its plan.</summary>
    public static NpgsqlBatch ExactSearchBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, ReadOnlyMemory<float> probe, string tenant, int k, bool explain = false) =>
        Batch(connection, transaction,
            BatchCommand(Explained(ExactSearch, explain), Value(new Vector(probe)), Value(tenant), Value(k)));

    public static string SetEfSearch(int efSearch) =>
        "SET LOCAL hnsw.ef_search = " + efSearch.ToString(CultureInfo.InvariantCulture);

    // ---- readers ------------------------------------------------------------------------------

    public static IdentityRecord ReadIdentity(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetInt32(4),
        reader.GetInt64(5),
        reader.GetFieldValue<DateTimeOffset>(6),
        reader.GetFieldValue<DateTimeOffset>(7));

    public static IdentityRecord ReadListedIdentity(NpgsqlDataReader reader) => ReadIdentity(reader) with
    {
        DescriptorVersion = reader.IsDBNull(8) ? 0 : reader.GetInt64(8),
        Coreset = reader.IsDBNull(9) ? [] : reader.GetFieldValue<string[]>(9),
    };

    public static StoredSample ReadSample(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetFieldValue<Vector>(1).ToArray(),
        reader.GetFloat(2),
        reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetFieldValue<DateTimeOffset>(5));

    public static StoredDescriptor ReadDescriptor(NpgsqlDataReader reader) => new(
        reader.GetFieldValue<Vector>(0).ToArray(),
        reader.GetInt64(1),
        reader.GetInt32(2),
        reader.GetFieldValue<string[]>(3),
        reader.GetString(4),
        reader.GetFieldValue<DateTimeOffset>(5));

    // ---- helpers ------------------------------------------------------------------------------

    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string QuoteLiteral(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string Explained(string sql, bool explain) => explain ? "EXPLAIN " + sql : sql;

    private static NpgsqlBatchCommand EnsureIdentity(IdentityKey key) =>
        BatchCommand("INSERT INTO identities (tenant, identity_id) VALUES ($1, $2) ON CONFLICT (tenant, identity_id) DO NOTHING",
            Value(key.Tenant), Value(key.IdentityId));

    private static NpgsqlBatchCommand LockIdentity(IdentityKey key) =>
        BatchCommand("SELECT revision FROM identities WHERE tenant = $1 AND identity_id = $2 FOR UPDATE",
            Value(key.Tenant), Value(key.IdentityId));

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlBatch Batch(NpgsqlConnection connection, NpgsqlTransaction transaction, params NpgsqlBatchCommand[] commands)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    private static NpgsqlParameter<T> Value<T>(T value) => new() { TypedValue = value };

    private static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Jsonb(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)value ?? DBNull.Value };
}
