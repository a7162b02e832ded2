namespace FaceGallery.Contracts;

/// <summary>An identity as the API shows it: profile, sample count and the descriptor it has now.</summary>
[GenerateSerializer, Immutable, Alias("fg.IdentitySummary")]
public sealed record IdentitySummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string? DisplayName,
    [property: Id(2)] string? MetadataJson,
    [property: Id(3)] int SampleCount,
    [property: Id(4)] long DescriptorVersion,
    [property: Id(5)] IReadOnlyList<string> Coreset,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt);
