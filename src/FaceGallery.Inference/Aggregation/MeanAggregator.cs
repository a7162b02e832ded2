namespace FaceGallery.Inference.Aggregation;

/// <summary>
/// Average pooling of unit embeddings, optionally weighted by quality — the baselines FaceCoresetNet
/// is compared against, and the descriptor when no set model is configured.
/// </summary>
public sealed class MeanAggregator(bool qualityWeighted) : ISetAggregator
{
    public const string MeanId = "mean";
    public const string QualityMeanId = "quality-mean";

    public string Id => qualityWeighted ? QualityMeanId : MeanId;

    public ValueTask<SetDescriptor> AggregateAsync(IReadOnlyList<SetMember> members, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(members.Count);
        var dimension = members[0].Embedding.Length;
        var sum = new float[dimension];
        var unit = new float[dimension];
        double totalWeight = 0;
        foreach (var member in members)
        {
            totalWeight += qualityWeighted ? member.Quality : 1f;
        }

        // All-zero qualities would make every weight zero: fall back to the plain mean.
        var useQuality = qualityWeighted && totalWeight > 0;
        foreach (var member in members)
        {
            member.Embedding.Span.CopyTo(unit);
            VectorMath.NormalizeInPlace(unit);
            var weight = useQuality ? member.Quality : 1f;
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(unit, weight, sum, sum);
        }

        VectorMath.NormalizeInPlace(sum);
        return ValueTask.FromResult(new SetDescriptor(sum, []));
    }
}
