namespace FaceGallery.Contracts;

/// <summary>
/// One face of one identity: its unit embedding and how recognizable it is (quality in [0,1]).
/// <paramref name="SampleId"/> makes enrollment idempotent; <paramref name="ContentHash"/> is the
/// SHA-256 of the source image when there was one.
/// </summary>
[GenerateSerializer, Immutable, Alias("fg.FaceSample")]
public sealed record FaceSample(
    [property: Id(0)] string SampleId,
    [property: Id(1)] float[] Embedding,
    [property: Id(2)] float Quality,
    [property: Id(3)] string ModelId,
    [property: Id(4)] string? ContentHash = null);
