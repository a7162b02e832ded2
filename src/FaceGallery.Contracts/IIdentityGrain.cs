namespace FaceGallery.Contracts;

/// <summary>
/// One enrolled person (key: <see cref="IdentityKey.GrainKey"/>). Owns the identity's samples and
/// keeps its set descriptor in step with them. Calls are serialized per identity, so concurrent
/// enrollments never interleave.
/// </summary>
[Alias("fg.IIdentityGrain")]
public interface IIdentityGrain : IGrainWithStringKey
{
    /// <summary>Creates the identity or updates its profile.</summary>
    [Alias("Upsert")]
    Task<IdentitySummary> Upsert(IdentityProfile profile, CancellationToken cancellationToken = default);

    /// <summary>The identity, or null when it does not exist.</summary>
    [Alias("Get")]
    Task<IdentitySummary?> Get(CancellationToken cancellationToken = default);

    /// <summary>The current descriptor, or null when the identity does not exist or has no samples.</summary>
    [Alias("GetDescriptor")]
    Task<DescriptorView?> GetDescriptor(CancellationToken cancellationToken = default);

    /// <summary>
    /// Recomputes the descriptor if it does not cover the current samples or came from another
    /// aggregator; returns the descriptor version now stored (0 without samples).
    /// </summary>
    [Alias("RefreshDescriptor")]
    Task<long> RefreshDescriptor(CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends samples (creating the identity when needed) and answers only once they are durable
    /// and the stored descriptor reflects them. Repeated sample ids are reported as duplicates.
    /// </summary>
    [Alias("Enroll")]
    Task<EnrollmentResult> Enroll(IReadOnlyList<FaceSample> samples, CancellationToken cancellationToken = default);

    /// <summary>Removes one sample and recomputes the descriptor; false when there was no such sample.</summary>
    [Alias("RemoveSample")]
    Task<bool> RemoveSample(string sampleId, CancellationToken cancellationToken = default);

    /// <summary>Erases the identity with every sample and descriptor; false when it did not exist.</summary>
    [Alias("Delete")]
    Task<bool> Delete(CancellationToken cancellationToken = default);
}
