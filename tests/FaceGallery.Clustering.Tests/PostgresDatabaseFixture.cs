using FaceGallery.Testing;
using Xunit;

namespace FaceGallery.Clustering.Tests;

/// <summary>A fresh database on the test server (FACEGALLERY_TEST_PG) per fixture, dropped afterwards.</summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private readonly List<TestPostgres> _databases = [];

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync() => ConnectionString = await CreateDatabaseAsync();

    /// <summary>Another empty database, for tests that need tables not to exist yet; dropped with the fixture.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var database = await TestPostgres.CreateAsync("clustering_test");
        _databases.Add(database);
        return database.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }
}
