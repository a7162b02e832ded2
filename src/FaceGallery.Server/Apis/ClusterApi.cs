using FaceGallery.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace FaceGallery.Server.Apis;

/// <summary>The silos of the cluster as membership sees them, with the accelerator each advertises.</summary>
public static class ClusterApi
{
    // Counting activations asks every silo; one that is dying but not yet declared dead must not hold the answer up.
    private static readonly TimeSpan StatisticsTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/cluster", GetCluster).WithTags("Cluster").WithName("GetCluster")
            .WithSummary("Silos, their Orleans status, accelerator and identity activations");
        return app;
    }

    private static async Task<Ok<ClusterResponse>> GetCluster(IClusterMembershipService membership, ISiloMetadataCache metadata,
        IGrainFactory grains, CancellationToken ct)
    {
        var activations = await IdentityActivationsAsync(grains, ct);
        var silos = membership.CurrentSnapshot.Members.Values
            .OrderBy(m => m.SiloAddress.ToParsableString(), StringComparer.Ordinal)
            .Select(m => new SiloInfo(
                m.SiloAddress.ToParsableString(),
                m.Name,
                m.Status.ToString(),
                metadata.GetSiloMetadata(m.SiloAddress).Metadata.GetValueOrDefault(OrleansHosting.AcceleratorMetadataKey, "unknown"),
                activations?.GetValueOrDefault(m.SiloAddress) ?? (activations is null ? null : 0)))
            .ToArray();
        return TypedResults.Ok(new ClusterResponse(silos));
    }

    /// <summary>Identity activations per silo (load tests show a new silo taking its share), or null when the silos did not all answer in time.</summary>
    private static async Task<Dictionary<SiloAddress, int>?> IdentityActivationsAsync(IGrainFactory grains, CancellationToken ct)
    {
        try
        {
            var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics(ct).WaitAsync(StatisticsTimeout, ct);
            return statistics
                .Where(s => s.GrainType.Contains("IdentityGrain", StringComparison.Ordinal))
                .GroupBy(s => s.SiloAddress)
                .ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Counting is best effort (membership may be unreadable while PostgreSQL restarts); the silo list still answers.
            return null;
        }
    }
}
