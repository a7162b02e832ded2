using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FaceGallery.Storage.Postgres;

/// <summary>
/// Brings the database to the newest schema. Everything happens in one transaction that first takes
/// a transaction-scoped advisory lock, so processes starting together queue up, the first one
/// migrates, the rest find nothing left to do, and a failed migration leaves no half-applied schema.
/// </summary>
internal sealed class MigrationRunner(NpgsqlDataSource dataSource, PostgresStoreOptions options, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var scripts = MigrationScript.LoadEmbedded();
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await ExecuteAsync(GallerySql.AcquireMigrationLock(connection, transaction), cancellationToken);
            await ExecuteAsync(GallerySql.CreateExtension(connection, transaction), cancellationToken);
            await ExecuteAsync(GallerySql.CreateMigrationTable(connection, transaction), cancellationToken);
            await CheckDimensionAsync(connection, transaction, cancellationToken);

            var applied = new HashSet<int>();
            await using (var command = GallerySql.AppliedMigrations(connection, transaction))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    applied.Add(reader.GetInt32(0));
                }
            }

            foreach (var script in scripts.Where(s => !applied.Contains(s.Version)))
            {
                await ExecuteAsync(GallerySql.Script(connection, transaction, script.Render(options)), cancellationToken);
                await ExecuteAsync(GallerySql.RecordMigration(connection, transaction, script.Version, script.Name), cancellationToken);
                StorageLog.MigrationApplied(logger, script.Version, script.Name);
            }

            var newest = applied.Count == 0 ? 0 : applied.Max();
            if (newest > scripts.Count)
            {
                throw new InvalidOperationException(
                    $"The gallery database is at schema version {newest}, newer than this build knows ({scripts.Count}). Upgrade this process.");
            }

            await transaction.CommitAsync(cancellationToken);
        }

        // The vector type may have just been created: connections opened from now on must know it.
        await dataSource.ReloadTypesAsync(cancellationToken);
        StorageLog.SchemaReady(logger, scripts.Count, options.Dimension);
    }

    private async Task CheckDimensionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using (var exists = GallerySql.SettingsExist(connection, transaction))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return;
            }
        }

        await using var command = GallerySql.StoredDimension(connection, transaction);
        var stored = await command.ExecuteScalarAsync(cancellationToken);
        if (stored is string text && int.Parse(text, CultureInfo.InvariantCulture) is var dimension && dimension != options.Dimension)
        {
            throw new InvalidOperationException(
                $"The gallery database '{connection.Database}' holds {dimension}-dimensional vectors, but this process is " +
                $"configured for {options.Dimension}. Use the embedder that produced the gallery, or a new database.");
        }
    }

    private async Task ExecuteAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command)
        {
            command.CommandTimeout = options.DdlCommandTimeoutSeconds;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
