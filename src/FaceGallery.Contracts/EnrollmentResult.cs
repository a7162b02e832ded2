namespace FaceGallery.Contracts;

/// <summary>
/// The acknowledgement of an enrollment: every id in <paramref name="Accepted"/> is durable and
/// reflected in the descriptor of version <paramref name="DescriptorVersion"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("fg.EnrollmentResult")]
public sealed record EnrollmentResult(
    [property: Id(0)] string IdentityId,
    [property: Id(1)] IReadOnlyList<string> Accepted,
    [property: Id(2)] IReadOnlyList<string> Duplicates,
    [property: Id(3)] int SampleCount,
    [property: Id(4)] long DescriptorVersion);
