using FaceGallery.Contracts;
using Npgsql;
using Pgvector;

namespace FaceGallery.Storage.Tests;

/// <summary>
/// Many identities with clustered descriptors, written with binary COPY because only search and the
/// planner are under test where this is used (the store creates the tenant's partition first).
/// </summary>
internal static class DescriptorSeed
{
    /// <summary>Identity ids <paramref name="idPrefix"/>00000… with their descriptors, in the order written.</summary>
    public static async Task<IReadOnlyList<(string IdentityId, float[] Descriptor)>> CopyAsync(
        IGalleryStore store, NpgsqlConnection connection, string tenant, int count, float[][] centres, TestVectors vectors, string idPrefix = "p")
    {
        await store.UpsertIdentityAsync(new IdentityKey(tenant, "first"), new IdentityProfile(null, null), CancellationToken.None);
        var rows = Enumerable.Range(0, count)
            .Select(i => ($"{idPrefix}{i:D5}", vectors.Near(centres[i % centres.Length], 0.3f)))
            .ToList();
        await using (var identities = await connection.BeginBinaryImportAsync("COPY identities (tenant, identity_id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (id, _) in rows)
            {
                await identities.StartRowAsync();
                await identities.WriteAsync(tenant);
                await identities.WriteAsync(id);
            }

            await identities.CompleteAsync();
        }

        await using var descriptors = await connection.BeginBinaryImportAsync(
            "COPY identity_descriptors (tenant, identity_id, descriptor, version, sample_count, coreset, aggregator_id, updated_at) FROM STDIN (FORMAT BINARY)");
        foreach (var (id, descriptor) in rows)
        {
            await descriptors.StartRowAsync();
            await descriptors.WriteAsync(tenant);
            await descriptors.WriteAsync(id);
            await descriptors.WriteAsync(new Vector(descriptor));
            await descriptors.WriteAsync(1L);
            await descriptors.WriteAsync(1);
            await descriptors.WriteAsync(Array.Empty<string>());
            await descriptors.WriteAsync("test-aggregator");
            await descriptors.WriteAsync(DateTimeOffset.UtcNow);
        }

        await descriptors.CompleteAsync();
        return rows;
    }
}
