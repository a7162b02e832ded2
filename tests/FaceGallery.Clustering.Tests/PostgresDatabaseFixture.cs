using Npgsql;
using Xunit;

namespace FaceGallery.Clustering.Tests;

/// <summary>A fresh database on the test server (FACEGALLERY_TEST_PG) per fixture, dropped afterwards.</summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private const string DefaultServer = "Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres";

    private readonly List<string> _databases = [];

    public string ConnectionString { get; private set; } = string.Empty;

    private static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("FACEGALLERY_TEST_PG") is { Length: > 0 } configured ? configured : DefaultServer;

    public async Task InitializeAsync() => ConnectionString = await CreateDatabaseAsync();

    /// <summary>Another empty database, for tests that need tables not to exist yet; dropped with the fixture.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"clustering_test_{Guid.NewGuid():N}"[..32];
        await using (var admin = new NpgsqlConnection(ServerConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        _databases.Add(name);
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ServerConnectionString);
        await admin.OpenAsync();
        foreach (var name in _databases)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
