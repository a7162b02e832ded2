using FaceGallery.Contracts;

namespace FaceGallery.Storage.Embedded;

/// <summary>
/// One durable change to the embedded gallery. The journal is a sequence of these; a snapshot is
/// the shortest sequence that rebuilds the state. Every record carries the values it sets (revision,
/// timestamps), so replay reproduces the state exactly.
/// </summary>
internal abstract record JournalRecord(IdentityKey Key);

internal sealed record IdentityUpserted(IdentityKey Key, string? DisplayName, string? MetadataJson, DateTimeOffset At) : JournalRecord(Key);

/// <summary>Only samples that were accepted; <paramref name="Revision"/> is the identity's revision afterwards.</summary>
internal sealed record SamplesAppended(IdentityKey Key, long Revision, DateTimeOffset At, IReadOnlyList<StoredSample> Samples) : JournalRecord(Key);

internal sealed record SampleRemoved(IdentityKey Key, string SampleId, long Revision, DateTimeOffset At) : JournalRecord(Key);

internal sealed record IdentityDeleted(IdentityKey Key) : JournalRecord(Key);

internal sealed record DescriptorSaved(IdentityKey Key, StoredDescriptor Descriptor) : JournalRecord(Key);

internal sealed record DescriptorDeleted(IdentityKey Key) : JournalRecord(Key);

/// <summary>Snapshot only: an identity row as it was, before its samples and descriptor follow.</summary>
internal sealed record IdentityRestored(IdentityKey Key, string? DisplayName, string? MetadataJson, long Revision, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt) : JournalRecord(Key);
