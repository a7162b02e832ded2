namespace FaceGallery.Contracts;

/// <summary>An identity's current set descriptor (unit length) and the version it was computed at.</summary>
[GenerateSerializer, Immutable, Alias("fg.DescriptorView")]
public sealed record DescriptorView(
    [property: Id(0)] float[] Vector,
    [property: Id(1)] long Version,
    [property: Id(2)] int SampleCount,
    [property: Id(3)] string AggregatorId);
