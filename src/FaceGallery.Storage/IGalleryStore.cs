using FaceGallery.Contracts;

namespace FaceGallery.Storage;

/// <summary>
/// The gallery's durable state. Two implementations pass one contract test suite:
/// PostgreSQL + pgvector (cluster mode) and an embedded file store (single process).
/// </summary>
/// <remarks>
/// Every identity carries a <c>revision</c> that grows with each change to its samples. Writers
/// pass the revision they last saw; when it is stale (another activation wrote in between, e.g.
/// while a killed silo was still being declared dead) the store answers with the identity's full
/// sample list, so the caller never computes a descriptor that misses a durable sample.
/// </remarks>
public interface IGalleryStore
{
    /// <summary>Creates or migrates the schema; safe to call from many processes at once.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Creates the identity or updates its profile (samples are untouched).</summary>
    Task<IdentityRecord> UpsertIdentityAsync(IdentityKey key, IdentityProfile profile, CancellationToken cancellationToken);

    /// <summary>The identity with its samples and descriptor, or null.</summary>
    Task<IdentitySnapshot?> LoadIdentityAsync(IdentityKey key, CancellationToken cancellationToken);

    /// <summary>Identities of a tenant ordered by id, after <paramref name="afterId"/> when given.</summary>
    Task<IReadOnlyList<IdentityRecord>> ListIdentitiesAsync(string tenant, int limit, string? afterId, CancellationToken cancellationToken);

    /// <summary>Erases the identity, its samples and its descriptor; false when it did not exist.</summary>
    Task<bool> DeleteIdentityAsync(IdentityKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Durably appends samples in one transaction, creating the identity when needed. Samples whose
    /// id is already stored are duplicates and are not changed.
    /// </summary>
    Task<SampleChange> AppendSamplesAsync(IdentityKey key, long expectedRevision, IReadOnlyList<FaceSample> samples, CancellationToken cancellationToken);

    /// <summary>Removes one sample; <see cref="SampleChange.Accepted"/> holds its id when it existed.</summary>
    Task<SampleChange> RemoveSampleAsync(IdentityKey key, long expectedRevision, string sampleId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the descriptor unless a newer version is already stored (versions follow revisions);
    /// at an equal version it replaces only a descriptor from another aggregator (a model change).
    /// Returns false when it was not stored.
    /// </summary>
    Task<bool> SaveDescriptorAsync(IdentityKey key, StoredDescriptor descriptor, CancellationToken cancellationToken);

    /// <summary>Removes the descriptor (an identity whose last sample was removed has none).</summary>
    Task DeleteDescriptorAsync(IdentityKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Identities (across tenants, ordered by tenant then id, after <paramref name="after"/>) whose
    /// stored descriptor does not cover their samples or came from another aggregator than
    /// <paramref name="aggregatorId"/>: the work list after a model change or an interrupted write.
    /// </summary>
    Task<IReadOnlyList<IdentityKey>> ListStaleDescriptorsAsync(string aggregatorId, IdentityKey? after, int limit, CancellationToken cancellationToken);

    /// <summary>The k descriptors of the tenant nearest to the probe by cosine, best first.</summary>
    Task<IReadOnlyList<GalleryMatch>> SearchAsync(string tenant, ReadOnlyMemory<float> probe, int k, CancellationToken cancellationToken);
}
