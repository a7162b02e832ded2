using Npgsql;

namespace FaceGallery.Testing;

/// <summary>
/// A fresh database on the test PostgreSQL server (env <c>FACEGALLERY_TEST_PG</c>, which
/// <c>./build.sh test</c> sets), dropped again on dispose.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    public const string ServerVariable = "FACEGALLERY_TEST_PG";
    private const string LocalDefault = "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    private readonly string _adminConnectionString;

    private TestPostgres(string adminConnectionString, string databaseName, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        DatabaseName = databaseName;
        ConnectionString = connectionString;
    }

    public string DatabaseName { get; }

    /// <summary>Connection string of the fresh database.</summary>
    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured ? configured : LocalDefault;

    public static async Task<TestPostgres> CreateAsync(string prefix)
    {
        var admin = ServerConnectionString;
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestPostgres(admin, name, builder.ConnectionString);
    }

    /// <summary>Runs one query on the fresh database and returns its single value.</summary>
    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T?)await command.ExecuteScalarAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
