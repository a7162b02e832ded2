using FaceGallery.Inference.Aggregation;

namespace FaceGallery.Cli.Evaluation;

/// <summary>
/// The "best single image" baseline: the set is represented by its highest-quality face alone (first one
/// on ties), which is what a gallery without set aggregation would keep.
/// </summary>
public sealed class BestSingleAggregator : ISetAggregator
{
    public const string BestSingleId = "best-single";

    public string Id => BestSingleId;

    public ValueTask<SetDescriptor> AggregateAsync(IReadOnlyList<SetMember> members, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentOutOfRangeException.ThrowIfZero(members.Count);
        var best = 0;
        for (var i = 1; i < members.Count; i++)
        {
            if (members[i].Quality > members[best].Quality)
            {
                best = i;
            }
        }

        return ValueTask.FromResult(new SetDescriptor(VectorMath.Normalized(members[best].Embedding.Span), [best]));
    }
}
