using FaceGallery.Contracts;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Storage;
using Npgsql;

namespace FaceGallery.Cli.Commands;

/// <summary>
/// Compares each stored descriptor with one recomputed from the identity's samples (same snapshot,
/// same order as the grain uses): vector, revision it claims, sample count, coreset and aggregator.
/// </summary>
public sealed class DescriptorConsistencyCheck(IGalleryStore store, ISetAggregator aggregator, NpgsqlDataSource dataSource)
{
    private const int PageSize = 500;

    public async Task<CheckSummary> RunAsync(double tolerance, int parallelism, Action<DescriptorDifference> report, CancellationToken cancellationToken)
    {
        long identities = 0, samples = 0, differing = 0;
        var worst = 0.0;
        var gate = new Lock();
        foreach (var tenant in await TenantsAsync(cancellationToken))
        {
            string? after = null;
            while (true)
            {
                var page = await store.ListIdentitiesAsync(tenant, PageSize, after, cancellationToken);
                if (page.Count == 0)
                {
                    break;
                }

                after = page[^1].IdentityId;
                await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
                    async (row, ct) =>
                    {
                        var key = new IdentityKey(tenant, row.IdentityId);
                        var snapshot = await store.LoadIdentityAsync(key, ct);
                        if (snapshot is null)
                        {
                            return; // erased since it was listed
                        }

                        var (problems, distance) = await CompareAsync(snapshot, tolerance, ct);
                        lock (gate)
                        {
                            identities++;
                            samples += snapshot.Samples.Count;
                            worst = Math.Max(worst, distance);
                            if (problems.Count > 0)
                            {
                                differing++;
                                report(new DescriptorDifference(key, problems));
                            }
                        }
                    });
            }
        }

        return new CheckSummary(identities, samples, differing, worst, aggregator.Id);
    }

    private async Task<(List<string> Problems, double Distance)> CompareAsync(IdentitySnapshot snapshot, double tolerance, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var stored = snapshot.Descriptor;
        var identity = snapshot.Identity;
        if (snapshot.Samples.Count == 0)
        {
            if (stored is not null)
            {
                problems.Add("has a descriptor but no samples");
            }

            return (problems, 0);
        }

        if (stored is null)
        {
            problems.Add($"no descriptor for {snapshot.Samples.Count} samples");
            return (problems, 0);
        }

        var members = snapshot.Samples.Select(s => new SetMember(s.Embedding, s.Quality)).ToArray();
        var expected = await aggregator.AggregateAsync(members, cancellationToken);
        var distance = 1.0 - System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(expected.Vector, stored.Vector);
        if (distance > tolerance)
        {
            problems.Add($"vector differs (1 - cosine = {distance:G3})");
        }

        if (stored.Version != identity.Revision)
        {
            problems.Add($"computed at revision {stored.Version}, identity is at {identity.Revision}");
        }

        if (stored.SampleCount != snapshot.Samples.Count)
        {
            problems.Add($"covers {stored.SampleCount} samples, {snapshot.Samples.Count} stored");
        }

        if (stored.AggregatorId != aggregator.Id)
        {
            problems.Add($"made by '{stored.AggregatorId}', the server now uses '{aggregator.Id}'");
        }

        var coreset = expected.Coreset.Select(i => snapshot.Samples[i].SampleId);
        if (!coreset.SequenceEqual(stored.Coreset, StringComparer.Ordinal))
        {
            problems.Add("coreset differs");
        }

        return (problems, distance);
    }

    private async Task<IReadOnlyList<string>> TenantsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT DISTINCT tenant FROM identities ORDER BY tenant");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tenants = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tenants.Add(reader.GetString(0));
        }

        return tenants;
    }
}

public sealed record DescriptorDifference(IdentityKey Key, IReadOnlyList<string> Problems);

public sealed record CheckSummary(long Identities, long Samples, long Differing, double WorstDistance, string AggregatorId);
