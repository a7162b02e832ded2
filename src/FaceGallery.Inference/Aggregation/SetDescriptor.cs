namespace FaceGallery.Inference.Aggregation;

/// <summary>
/// The unit-length descriptor of a set of faces, and the indices (into the input) of the faces the
/// aggregator chose to represent it — empty for aggregators that weigh every face.
/// </summary>
public sealed record SetDescriptor(float[] Vector, IReadOnlyList<int> Coreset);
