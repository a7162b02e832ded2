using FaceGallery.Testing;
using System.Net;
using System.Net.Sockets;
using FaceGallery.Contracts;
using FaceGallery.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pgvector;
using Xunit.Abstractions;

namespace FaceGallery.Storage.Tests;

/// <summary>The contract suite on real PostgreSQL + pgvector, plus what only this store promises.</summary>
public sealed class PostgresGalleryStoreTests(PostgresGalleryFixture fixture, ITestOutputHelper output) : GalleryStoreContract, IClassFixture<PostgresGalleryFixture>
{
    protected override IGalleryStore Store => fixture.Store;

    [Fact]
    public async Task Search_uses_the_hnsw_index_of_the_tenants_own_partition()
    {
        var tenant = NewTenant();
        var other = NewTenant();
        var vectors = new TestVectors(20);
        var centres = Enumerable.Range(0, 40).Select(_ => vectors.Unit()).ToArray();
        var builder = new NpgsqlDataSourceBuilder(fixture.Database.ConnectionString);
        builder.UseVector();
        await using var dataSource = builder.Build();
        await using var connection = await dataSource.OpenConnectionAsync();
        // Below ~1–2k rows the planner rightly prefers an exact scan of the partition; 2000 tips it.
        await DescriptorSeed.CopyAsync(Store, connection, tenant, 2000, centres, vectors);
        await DescriptorSeed.CopyAsync(Store, connection, other, 200, centres, vectors);

        var partition = TenantPartitions.PartitionName(tenant);
        string index;
        await using (var command = new NpgsqlCommand(
            "SELECT indexname FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE '%USING hnsw%'", connection))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = partition });
            index = (string)(await command.ExecuteScalarAsync())!;
        }

        await using (var analyze = new NpgsqlCommand("ANALYZE identity_descriptors", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        // The store's own query text with real parameters, planned the way the store's calls are.
        var plan = new List<string>();
        await using (var explain = new NpgsqlCommand("EXPLAIN " + GallerySql.Search, connection))
        {
            explain.Parameters.Add(new NpgsqlParameter<Vector> { TypedValue = new Vector(vectors.Near(centres[3], 0.3f)) });
            explain.Parameters.Add(new NpgsqlParameter<string> { TypedValue = tenant });
            explain.Parameters.Add(new NpgsqlParameter<int> { TypedValue = 10 });
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', plan);
        output.WriteLine(string.Join('\n', plan.Select(line => line.Length > 160 ? line[..160] + "…" : line)));
        Assert.Contains($"Index Scan using {index}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(TenantPartitions.PartitionName(other), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_from_many_processes_at_once_migrates_exactly_once()
    {
        await using var database = await TestPostgres.CreateAsync("storage_test");
        var providers = Enumerable.Range(0, 6)
            .Select(_ => PostgresGalleryFixture.BuildServices(database.ConnectionString, TestVectors.Dimension))
            .ToList();
        try
        {
            // Separate service providers have separate data sources: as close to separate processes as one test gets.
            await Task.WhenAll(providers.Select(p => Task.Run(() => p.GetRequiredService<IGalleryStore>().InitializeAsync(CancellationToken.None))));

            Assert.Equal(MigrationScript.LoadEmbedded().Count, (int)(await database.ScalarAsync<long>("SELECT count(*) FROM schema_migrations")));
            Assert.Equal("128", await database.ScalarAsync<string>("SELECT value FROM gallery_settings WHERE name = 'dimension'"));
            var vectors = new TestVectors(21);
            var key = new IdentityKey("default", "after-init");
            await providers[3].GetRequiredService<IGalleryStore>().AppendSamplesAsync(key, 0, [vectors.Sample("a")], CancellationToken.None);
            Assert.NotNull(await providers[5].GetRequiredService<IGalleryStore>().LoadIdentityAsync(key, CancellationToken.None));
        }
        finally
        {
            foreach (var provider in providers)
            {
                await provider.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_start_with_another_dimension_fails_fast()
    {
        await using var other = PostgresGalleryFixture.BuildServices(fixture.Database.ConnectionString, 512);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => other.GetRequiredService<IGalleryStore>().InitializeAsync(CancellationToken.None));

        Assert.Contains("128", error.Message, StringComparison.Ordinal);
        Assert.Contains("512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_is_storage_unavailable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var connectionString = new NpgsqlConnectionStringBuilder(TestPostgres.ServerConnectionString) { Port = port, Timeout = 3 }.ConnectionString;
        await using var services = PostgresGalleryFixture.BuildServices(connectionString, TestVectors.Dimension);
        var store = services.GetRequiredService<IGalleryStore>();

        var init = await Assert.ThrowsAsync<GalleryException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.Equal(ErrorCodes.StorageUnavailable, init.Code);
        var search = await Assert.ThrowsAsync<GalleryException>(() => store.SearchAsync("default", new TestVectors(22).Unit(), 5, CancellationToken.None));
        Assert.Equal(ErrorCodes.StorageUnavailable, search.Code);
    }

    [Fact]
    public async Task A_terminated_server_connection_is_storage_unavailable_and_the_store_recovers()
    {
        var logs = new CollectingLoggerProvider();
        await using var services = PostgresGalleryFixture.BuildServices(
            fixture.Database.ConnectionString + ";Maximum Pool Size=1;Application Name=terminate-me", TestVectors.Dimension, logs);
        var store = services.GetRequiredService<IGalleryStore>();
        var key = new IdentityKey(NewTenant(), "survivor");
        var vectors = new TestVectors(23);
        await store.AppendSamplesAsync(key, 0, [vectors.Sample("a")], CancellationToken.None);

        // What an administrator's shutdown or a server restart does to the pooled connection (57P01).
        var terminated = await fixture.Database.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity " +
            "WHERE application_name = 'terminate-me' AND pid <> pg_backend_pid()) t");
        Assert.Equal(1, terminated);

        var error = await Assert.ThrowsAsync<GalleryException>(() => store.LoadIdentityAsync(key, CancellationToken.None));
        Assert.Equal(ErrorCodes.StorageUnavailable, error.Code);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 1003);

        Assert.NotNull(await store.LoadIdentityAsync(key, CancellationToken.None));
    }

    [Fact]
    public void Partition_names_are_safe_distinct_and_stable()
    {
        var names = new[] { "default", "Acme", "acme", "a.b:c-d_e", new string('x', 128), new string('x', 127) + "y" }
            .Select(TenantPartitions.PartitionName)
            .ToList();

        Assert.All(names, n => Assert.Matches("^[a-z0-9_]{1,63}$", n));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Equal(TenantPartitions.PartitionName("Acme"), names[1]);
        Assert.StartsWith("descriptors_default_", names[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Migrations_are_numbered_and_fully_rendered()
    {
        var scripts = MigrationScript.LoadEmbedded();
        Assert.Equal(1, scripts[0].Version);
        var sql = scripts[0].Render(new PostgresStoreOptions { Dimension = 77, HnswM = 12, HnswEfConstruction = 40 });
        Assert.Contains("vector(77)", sql, StringComparison.Ordinal);
        Assert.Contains("m = 12, ef_construction = 40", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", sql, StringComparison.Ordinal);
    }
}
