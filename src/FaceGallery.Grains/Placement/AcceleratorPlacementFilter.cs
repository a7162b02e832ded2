using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace FaceGallery.Grains.Placement;

/// <summary>Places a grain on silos advertising <c>accelerator=cuda</c>, or anywhere when there are none.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AcceleratorPlacementFilterAttribute() : PlacementFilterAttribute(new AcceleratorPlacementFilterStrategy());

/// <summary>The strategy object Orleans keys the director by.</summary>
public sealed class AcceleratorPlacementFilterStrategy() : PlacementFilterStrategy(order: 0);

/// <summary>
/// Keeps the accelerator silos among the placement candidates. Orleans' own metadata filters compare
/// candidates with the calling silo; this one compares them with a fixed value, so a call from a CPU silo
/// still lands on a GPU silo. With no accelerator among the candidates every candidate stays: refusing
/// is the router's decision (<see cref="InferencePlacementOptions.RequireAccelerator"/>), made before the call.
/// </summary>
internal sealed class AcceleratorPlacementFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var candidates = silos as IReadOnlyCollection<SiloAddress> ?? silos.ToArray();
        var accelerated = candidates.Where(metadata.HasAccelerator).ToArray();
        return accelerated.Length > 0 ? accelerated : candidates;
    }
}
