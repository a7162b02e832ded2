using FaceGallery.Inference.Aggregation;

namespace FaceGallery.Grains.Placement;

/// <summary>The host's own aggregator, kept apart from the placing decorator that now answers for ISetAggregator.</summary>
public sealed class LocalSetAggregator(ISetAggregator inner)
{
    public ISetAggregator Inner => inner;
}
