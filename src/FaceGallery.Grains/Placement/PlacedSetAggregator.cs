using FaceGallery.Inference.Aggregation;

namespace FaceGallery.Grains.Placement;

/// <summary>
/// Descriptor recomputation (and multi-image probes) through <see cref="InferenceRouter"/>: on an
/// accelerator silo when the cluster has one, here otherwise. The identity grain keeps asking
/// <see cref="ISetAggregator"/> and never knows.
/// </summary>
public sealed class PlacedSetAggregator(LocalSetAggregator local, InferenceRouter router) : ISetAggregator
{
    public string Id => local.Inner.Id;

    public ValueTask<SetDescriptor> AggregateAsync(IReadOnlyList<SetMember> members, CancellationToken cancellationToken) =>
        router.AggregateAsync(members, cancellationToken);
}
