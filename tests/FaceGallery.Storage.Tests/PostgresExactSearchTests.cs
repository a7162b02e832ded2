using FaceGallery.Contracts;
using FaceGallery.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pgvector.Npgsql;
using Xunit.Abstractions;

namespace FaceGallery.Storage.Tests;

/// <summary>
/// <see cref="PostgresStoreOptions.ExactBelow"/>: small tenants are scanned exactly, large ones go through
/// their partition's HNSW index. Thresholds here are low so that a few thousand rows decide it.
/// </summary>
public sealed class PostgresExactSearchTests(PostgresGalleryFixture fixture, ITestOutputHelper output) : IClassFixture<PostgresGalleryFixture>
{
    private const int K = 10;

    [Fact]
    public async Task Search_scans_tenants_below_ExactBelow_exactly_and_uses_the_hnsw_index_above_it()
    {
        var (large, small) = ("exact-large-" + Guid.NewGuid().ToString("N")[..8], "exact-small-" + Guid.NewGuid().ToString("N")[..8]);
        var vectors = new TestVectors(31);
        var centres = Enumerable.Range(0, 40).Select(_ => vectors.Unit()).ToArray();
        IReadOnlyList<(string IdentityId, float[] Descriptor)> largeRows, smallRows;
        await using (var connection = await OpenAsync())
        {
            // 2,000 rows: where the planner itself already prefers the HNSW index (see the test above).
            largeRows = await DescriptorSeed.CopyAsync(fixture.Store, connection, large, 2000, centres, vectors);
            smallRows = await DescriptorSeed.CopyAsync(fixture.Store, connection, small, 300, centres, vectors);
            await using var analyze = new NpgsqlCommand("ANALYZE identity_descriptors", connection);
            await analyze.ExecuteNonQueryAsync();
        }

        await using var lowServices = Services(exactBelow: 1000);
        await using var highServices = Services(exactBelow: 5000);
        var low = lowServices.GetRequiredService<PostgresGalleryStore>();
        var high = highServices.GetRequiredService<PostgresGalleryStore>();
        var probe = vectors.Near(centres[7], 0.3f);

        var largeIndexed = await PlanAsync(low, large, probe);
        Assert.Contains($"Index Scan using {await HnswIndexAsync(large)} ", largeIndexed, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", largeIndexed, StringComparison.Ordinal);

        var smallScanned = await PlanAsync(low, small, probe);
        Assert.Contains($"Seq Scan on {TenantPartitions.PartitionName(small)}", smallScanned, StringComparison.Ordinal);
        Assert.DoesNotContain("Index Scan", smallScanned, StringComparison.Ordinal);

        // The same large tenant under a threshold above its size: exact, although the planner would take the index.
        var largeScanned = await PlanAsync(high, large, probe);
        Assert.Contains($"Seq Scan on {TenantPartitions.PartitionName(large)}", largeScanned, StringComparison.Ordinal);
        Assert.DoesNotContain("Index Scan", largeScanned, StringComparison.Ordinal);

        for (var p = 0; p < 5; p++)
        {
            var near = vectors.Near(centres[p], 0.3f);
            AssertExactTopK(smallRows, near, await low.SearchAsync(small, near, K, CancellationToken.None));
            AssertExactTopK(largeRows, near, await high.SearchAsync(large, near, K, CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_tenant_that_grows_past_ExactBelow_moves_from_the_exact_scan_to_its_hnsw_index()
    {
        var tenant = "exact-grows-" + Guid.NewGuid().ToString("N")[..8];
        var vectors = new TestVectors(32);
        var centres = Enumerable.Range(0, 40).Select(_ => vectors.Unit()).ToArray();
        await using var services = Services(exactBelow: 1000);
        var store = services.GetRequiredService<PostgresGalleryStore>();
        var probe = vectors.Unit();

        // Before its first write a tenant has no partition: nothing to scan, and no error.
        Assert.Empty(await store.SearchAsync(tenant, probe, K, CancellationToken.None));
        await using var connection = await OpenAsync();
        await DescriptorSeed.CopyAsync(fixture.Store, connection, tenant, 300, centres, vectors);
        await AnalyzeAsync(connection, tenant);
        Assert.Contains("Seq Scan", await PlanAsync(store, tenant, probe), StringComparison.Ordinal);

        await DescriptorSeed.CopyAsync(fixture.Store, connection, tenant, 2000, centres, vectors, idPrefix: "q");
        await AnalyzeAsync(connection, tenant);
        Assert.Contains($"Index Scan using {await HnswIndexAsync(tenant)} ", await PlanAsync(store, tenant, probe), StringComparison.Ordinal);
    }

    /// <summary>Every hit carries its true score, in descending order, and none is worse than the true k-th best.</summary>
    private static void AssertExactTopK(IReadOnlyList<(string IdentityId, float[] Descriptor)> rows, float[] probe, IReadOnlyList<GalleryMatch> matches)
    {
        var truth = rows.ToDictionary(r => r.IdentityId, r => TestVectors.Cosine(r.Descriptor, probe), StringComparer.Ordinal);
        var kthBest = truth.Values.OrderDescending().ElementAt(K - 1);
        Assert.Equal(K, matches.Count);
        Assert.Equal(K, matches.Select(m => m.IdentityId).Distinct().Count());
        Assert.All(matches, m => Assert.Equal(truth[m.IdentityId], m.Score, 1e-5f));
        Assert.All(matches.Zip(matches.Skip(1)), pair => Assert.True(pair.First.Score >= pair.Second.Score));
        // Float rounding in PostgreSQL and here may swap near-ties at the k-th place, nothing more.
        Assert.True(matches[^1].Score >= kthBest - 1e-5f, $"last hit {matches[^1].Score}, true k-th best {kthBest}");
    }

    private async Task<string> PlanAsync(PostgresGalleryStore store, string tenant, float[] probe)
    {
        var plan = string.Join('\n', await store.ExplainSearchAsync(tenant, probe, K, CancellationToken.None));
        output.WriteLine($"{tenant}:\n{plan}");
        return plan;
    }

    /// <summary>The HNSW index PostgreSQL created on the tenant's partition from the parent's declaration.</summary>
    private async Task<string> HnswIndexAsync(string tenant)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT indexname FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE '%USING hnsw%'", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = TenantPartitions.PartitionName(tenant) });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private ServiceProvider Services(int exactBelow) =>
        PostgresGalleryFixture.BuildServices(fixture.Database.ConnectionString, TestVectors.Dimension, configure: options =>
        {
            options.ExactBelow = exactBelow;
            // pgvector costs an HNSW scan by ef_search: at the default 400 the planner itself prefers a
            // sequential scan for 2,000 rows, at pgvector's 40 it takes the index (as in the test above).
            options.EfSearch = 40;
            // Read the estimate on every search, so each ANALYZE below takes effect at once.
            options.RowEstimateRefreshSeconds = 0;
        });

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var builder = new NpgsqlDataSourceBuilder(fixture.Database.ConnectionString);
        builder.UseVector();
        await using var dataSource = builder.Build();
        return await dataSource.OpenConnectionAsync();
    }

    private static async Task AnalyzeAsync(NpgsqlConnection connection, string tenant)
    {
        await using var analyze = new NpgsqlCommand($"ANALYZE {GallerySql.QuoteIdentifier(TenantPartitions.PartitionName(tenant))}", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
