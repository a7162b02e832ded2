using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace FaceGallery.Clustering;

/// <summary>Log messages of PostgreSQL clustering; event ids 4000–4099.</summary>
internal static partial class ClusteringLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "Membership tables ready for cluster {ClusterId} (table version row initialised: {VersionRowInitialised})")]
    public static partial void SchemaReady(ILogger logger, string clusterId, bool versionRowInitialised);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug,
        Message = "Membership {Operation} for silo {Silo} refused: {Outcome}")]
    public static partial void WriteRefused(ILogger logger, string operation, SiloAddress silo, MembershipWriteOutcome outcome);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information,
        Message = "Removed {Count} defunct silo entries of cluster {ClusterId} last updated before {Before:O}")]
    public static partial void DefunctEntriesRemoved(ILogger logger, int count, string clusterId, DateTimeOffset before);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information,
        Message = "Deleted the membership of cluster {ClusterId}")]
    public static partial void ClusterDeleted(ILogger logger, string clusterId);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning,
        Message = "Heartbeat of silo {Silo} found no membership row in cluster {ClusterId}")]
    public static partial void HeartbeatWithoutRow(ILogger logger, SiloAddress silo, string clusterId);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning,
        Message = "No gateways for cluster {ClusterId}: the membership tables do not exist yet (no silo has started)")]
    public static partial void MembershipTablesMissing(ILogger logger, string clusterId);
}
