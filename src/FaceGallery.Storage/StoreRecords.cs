using FaceGallery.Contracts;

namespace FaceGallery.Storage;

/// <summary>
/// An identity row: profile, how many samples it has and its sample revision. Listings also carry
/// the stored descriptor's version and coreset (0 and empty without a descriptor), so a page shows
/// what reading each identity shows; other reads leave them at their defaults.
/// </summary>
public sealed record IdentityRecord(
    string Tenant,
    string IdentityId,
    string? DisplayName,
    string? MetadataJson,
    int SampleCount,
    long Revision,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long DescriptorVersion = 0,
    IReadOnlyList<string>? Coreset = null);

/// <summary>A stored face sample, in insertion order.</summary>
public sealed record StoredSample(
    string SampleId,
    float[] Embedding,
    float Quality,
    string ModelId,
    string? ContentHash,
    DateTimeOffset CreatedAt);

/// <summary>
/// A set descriptor and where it came from: the identity revision it was computed at
/// (<paramref name="Version"/>), over how many samples, which samples form its coreset, and which
/// aggregator model produced it.
/// </summary>
public sealed record StoredDescriptor(
    float[] Vector,
    long Version,
    int SampleCount,
    IReadOnlyList<string> Coreset,
    string AggregatorId,
    DateTimeOffset UpdatedAt);

/// <summary>Everything needed to (re)activate an identity.</summary>
public sealed record IdentitySnapshot(
    IdentityRecord Identity,
    IReadOnlyList<StoredSample> Samples,
    StoredDescriptor? Descriptor);

/// <summary>
/// The outcome of a sample write. <paramref name="Revision"/> is the identity's revision after it.
/// <paramref name="CurrentSamples"/> is null when the caller's revision was current (apply the
/// change locally), and the identity's complete sample list after the change when it was stale.
/// </summary>
public sealed record SampleChange(
    long Revision,
    IReadOnlyList<string> Accepted,
    IReadOnlyList<string> Duplicates,
    IReadOnlyList<StoredSample>? CurrentSamples);

/// <summary>One search hit: cosine similarity of descriptors, higher is more alike.</summary>
public sealed record GalleryMatch(string IdentityId, float Score);
