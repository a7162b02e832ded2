namespace FaceGallery.Contracts;

/// <summary>
/// The cluster's one descriptor sweeper (key 0): finds identities whose stored descriptor is stale
/// — another aggregator model, or a write interrupted between samples and descriptor — and has each
/// identity grain recompute its own, in the background, with progress in logs and metrics.
/// </summary>
[Alias("fg.IDescriptorMaintenanceGrain")]
public interface IDescriptorMaintenanceGrain : IGrainWithIntegerKey
{
    /// <summary>Starts a sweep unless one is running.</summary>
    [Alias("Start")]
    Task Start(CancellationToken cancellationToken = default);

    [Alias("GetStatus")]
    Task<DescriptorSweepStatus> GetStatus(CancellationToken cancellationToken = default);
}

/// <summary>Progress of the current or last sweep.</summary>
[GenerateSerializer, Immutable, Alias("fg.DescriptorSweepStatus")]
public sealed record DescriptorSweepStatus(
    [property: Id(0)] bool Running,
    [property: Id(1)] string AggregatorId,
    [property: Id(2)] long Recomputed,
    [property: Id(3)] long Failed,
    [property: Id(4)] DateTimeOffset? StartedAt,
    [property: Id(5)] DateTimeOffset? FinishedAt);
