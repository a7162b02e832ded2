namespace FaceGallery.Inference.Aggregation;

/// <summary>
/// Turns a set of faces into one descriptor. The identity grain and multi-image probes use the same
/// aggregator, so enrolled and probe descriptors live in one space.
/// </summary>
public interface ISetAggregator
{
    /// <summary>Names the aggregator and its model version; stored beside each descriptor.</summary>
    string Id { get; }

    ValueTask<SetDescriptor> AggregateAsync(IReadOnlyList<SetMember> members, CancellationToken cancellationToken);
}
