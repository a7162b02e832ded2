namespace FaceGallery.Contracts;

/// <summary>What a person says about an identity; <paramref name="MetadataJson"/> is a JSON object or null.</summary>
[GenerateSerializer, Immutable, Alias("fg.IdentityProfile")]
public sealed record IdentityProfile(
    [property: Id(0)] string? DisplayName,
    [property: Id(1)] string? MetadataJson);
