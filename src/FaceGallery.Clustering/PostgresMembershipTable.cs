using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace FaceGallery.Clustering;

/// <summary>
/// Orleans membership table in PostgreSQL. Every change of a silo row also advances the cluster's
/// table version, both in one transaction that first locks the version row and checks its etag, so
/// concurrent writers (a silo joining, two silos voting on a third) serialise and the loser gets
/// <see langword="false"/> and re-reads, as the membership protocol expects.
/// </summary>
public sealed class PostgresMembershipTable : IMembershipTable, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _clusterId;
    private readonly ILogger<PostgresMembershipTable> _logger;

    public PostgresMembershipTable(
        IOptions<PostgresClusteringOptions> options,
        IOptions<ClusterOptions> clusterOptions,
        ILogger<PostgresMembershipTable> logger)
    {
        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString);
        _clusterId = clusterOptions.Value.ClusterId;
        _logger = logger;
    }

    public Task InitializeMembershipTable(bool tryInitTableVersion) =>
        InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var schema = new NpgsqlCommand(await SchemaScript.LoadAsync(cancellationToken), connection, transaction))
        {
            await schema.ExecuteNonQueryAsync(cancellationToken);
        }

        if (tryInitTableVersion)
        {
            await using var init = new NpgsqlCommand(MembershipSql.InitVersion, connection, transaction);
            init.Parameters.Add(new NpgsqlParameter { Value = _clusterId });
            init.Parameters.Add(new NpgsqlParameter { Value = MembershipRows.NewEtag() });
            await init.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        ClusteringLog.SchemaReady(_logger, _clusterId, tryInitTableVersion);
    }

    public Task DeleteMembershipTableEntries(string clusterId) =>
        DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(MembershipSql.DeleteCluster);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        await command.ExecuteNonQueryAsync(cancellationToken);
        ClusteringLog.ClusterDeleted(_logger, clusterId);
    }

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) =>
        CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(MembershipSql.DeleteDefunct);
        command.Parameters.Add(new NpgsqlParameter { Value = _clusterId });
        command.Parameters.Add(new NpgsqlParameter { Value = beforeDate.UtcDateTime });
        var removed = await command.ExecuteNonQueryAsync(cancellationToken);
        if (removed > 0)
        {
            ClusteringLog.DefunctEntriesRemoved(_logger, removed, _clusterId, beforeDate);
        }
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(MembershipSql.ReadRow);
        MembershipRows.AddKey(command, _clusterId, key);
        return await ReadTableAsync(command, cancellationToken);
    }

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(MembershipSql.ReadAll);
        command.Parameters.Add(new NpgsqlParameter { Value = _clusterId });
        return await ReadTableAsync(command, cancellationToken);
    }

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) =>
        InsertRowAsync(entry, tableVersion, CancellationToken.None);

    public async Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        var outcome = await ChangeRowAsync(
            tableVersion,
            async (connection, transaction, ct) =>
            {
                await using var command = new NpgsqlCommand(MembershipSql.InsertSilo, connection, transaction);
                MembershipRows.AddKey(command, _clusterId, entry.SiloAddress);
                MembershipRows.AddRowValues(command, entry, MembershipRows.NewEtag());
                return await command.ExecuteNonQueryAsync(ct) == 1 ? MembershipWriteOutcome.Applied : MembershipWriteOutcome.RowAlreadyExists;
            },
            cancellationToken);
        return Report("insert", entry.SiloAddress, outcome);
    }

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) =>
        UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        var outcome = await ChangeRowAsync(
            tableVersion,
            async (connection, transaction, ct) =>
            {
                await using var command = new NpgsqlCommand(MembershipSql.UpdateSilo, connection, transaction);
                MembershipRows.AddKey(command, _clusterId, entry.SiloAddress);
                MembershipRows.AddRowValues(command, entry, MembershipRows.NewEtag());
                command.Parameters.Add(new NpgsqlParameter { Value = etag ?? string.Empty });
                return await command.ExecuteNonQueryAsync(ct) == 1 ? MembershipWriteOutcome.Applied : MembershipWriteOutcome.RowMissingOrEtagMismatch;
            },
            cancellationToken);
        return Report("update", entry.SiloAddress, outcome);
    }

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = _dataSource.CreateCommand(MembershipSql.UpdateIAmAlive);
        MembershipRows.AddKey(command, _clusterId, entry.SiloAddress);
        command.Parameters.Add(new NpgsqlParameter { Value = MembershipRows.ToUtc(entry.IAmAliveTime) });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            ClusteringLog.HeartbeatWithoutRow(_logger, entry.SiloAddress, _clusterId);
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();

    /// <summary>
    /// Runs <paramref name="changeRow"/> and advances the table version in one transaction, but only
    /// when the stored table etag is the one the caller read and its new version moves forward.
    /// </summary>
    private async Task<MembershipWriteOutcome> ChangeRowAsync(
        TableVersion tableVersion,
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<MembershipWriteOutcome>> changeRow,
        CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var outcome = await CheckVersionAsync(connection, transaction, tableVersion, cancellationToken);
        if (outcome == MembershipWriteOutcome.Applied)
        {
            outcome = await changeRow(connection, transaction, cancellationToken);
        }

        if (outcome != MembershipWriteOutcome.Applied)
        {
            await transaction.RollbackAsync(cancellationToken);
            return outcome;
        }

        await using (var advance = new NpgsqlCommand(MembershipSql.AdvanceVersion, connection, transaction))
        {
            advance.Parameters.Add(new NpgsqlParameter { Value = _clusterId });
            advance.Parameters.Add(new NpgsqlParameter { Value = tableVersion.Version });
            advance.Parameters.Add(new NpgsqlParameter { Value = MembershipRows.NewEtag() });
            await advance.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return MembershipWriteOutcome.Applied;
    }

    private async Task<MembershipWriteOutcome> CheckVersionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(MembershipSql.LockVersion, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = _clusterId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return MembershipWriteOutcome.TableVersionMissing;
        }

        var storedVersion = reader.GetInt32(0);
        var storedEtag = reader.GetString(1);
        if (!string.Equals(storedEtag, tableVersion.VersionEtag, StringComparison.Ordinal))
        {
            return MembershipWriteOutcome.TableEtagMismatch;
        }

        return tableVersion.Version > storedVersion ? MembershipWriteOutcome.Applied : MembershipWriteOutcome.TableVersionNotAdvanced;
    }

    private async Task<MembershipTableData> ReadTableAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        TableVersion? version = null;
        var rows = new List<Tuple<MembershipEntry, string>>();
        while (await reader.ReadAsync(cancellationToken))
        {
            version ??= new TableVersion(reader.GetInt32(0), reader.GetString(1));
            if (MembershipRows.ReadEntry(reader, 2) is { } row)
            {
                rows.Add(row);
            }
        }

        // No version row: the cluster was never initialised (or was deleted). Version 0 with an etag no
        // stored row can carry makes every conditional write refuse until a silo initialises it.
        return new MembershipTableData(rows, version ?? new TableVersion(0, string.Empty));
    }

    private bool Report(string operation, SiloAddress silo, MembershipWriteOutcome outcome)
    {
        if (outcome == MembershipWriteOutcome.Applied)
        {
            return true;
        }

        ClusteringLog.WriteRefused(_logger, operation, silo, outcome);
        return false;
    }
}
