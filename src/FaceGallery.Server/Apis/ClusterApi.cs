using FaceGallery.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace FaceGallery.Server.Apis;

/// <summary>The silos of the cluster as membership sees them, with the accelerator each advertises.</summary>
public static class ClusterApi
{
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/cluster", GetCluster).WithTags("Cluster").WithName("GetCluster")
            .WithSummary("Silos, their Orleans status and accelerator");
        return app;
    }

    private static Ok<ClusterResponse> GetCluster(IClusterMembershipService membership, ISiloMetadataCache metadata)
    {
        var silos = membership.CurrentSnapshot.Members.Values
            .OrderBy(m => m.SiloAddress.ToParsableString(), StringComparer.Ordinal)
            .Select(m => new SiloInfo(
                m.SiloAddress.ToParsableString(),
                m.Name,
                m.Status.ToString(),
                metadata.GetSiloMetadata(m.SiloAddress).Metadata.GetValueOrDefault(OrleansHosting.AcceleratorMetadataKey, "unknown")))
            .ToArray();
        return TypedResults.Ok(new ClusterResponse(silos));
    }
}
