using Microsoft.Extensions.Logging;

namespace FaceGallery.Storage;

/// <summary>Every log line of the storage layer. Event ids: 1000–1099 PostgreSQL, 1100–1199 embedded.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(1000, LogLevel.Information, "Applied gallery migration {Version} ({Name})")]
    public static partial void MigrationApplied(ILogger logger, int version, string name);

    [LoggerMessage(1001, LogLevel.Information, "Gallery schema at version {Version}, {Dimension}-dimensional vectors")]
    public static partial void SchemaReady(ILogger logger, int version, int dimension);

    [LoggerMessage(1002, LogLevel.Information, "Created descriptor partition {Partition} for tenant {Tenant}")]
    public static partial void PartitionCreated(ILogger logger, string partition, string tenant);

    [LoggerMessage(1003, LogLevel.Warning, "PostgreSQL is unavailable ({SqlState})")]
    public static partial void PostgresUnavailable(ILogger logger, string? sqlState, Exception exception);

    [LoggerMessage(1004, LogLevel.Warning, "Descriptor partition for tenant {Tenant} was missing; recreating it")]
    public static partial void PartitionMissing(ILogger logger, string tenant);

    [LoggerMessage(1005, LogLevel.Information, "Tenant {Tenant} holds about {Rows} descriptors: searched by {Method}")]
    public static partial void SearchMethodChosen(ILogger logger, string tenant, long rows, string method);

    [LoggerMessage(1100, LogLevel.Information, "Opened embedded gallery at {Path}: {Identities} identities, {Records} journal records replayed")]
    public static partial void EmbeddedOpened(ILogger logger, string path, int identities, int records);

    [LoggerMessage(1101, LogLevel.Warning, "Journal {Path} ends with {Bytes} unreadable bytes at offset {Offset} ({Reason}); truncated them, copy kept in {Copy}")]
    public static partial void JournalTailTruncated(ILogger logger, string path, long bytes, long offset, string reason, string copy);

    [LoggerMessage(1102, LogLevel.Information, "Compacted embedded gallery: snapshot of {Identities} identities, journal generation {Generation}")]
    public static partial void Compacted(ILogger logger, int identities, long generation);

    [LoggerMessage(1103, LogLevel.Warning, "Journal {Path} (generation {Generation}) is already covered by the snapshot; starting a new one")]
    public static partial void StaleJournalReplaced(ILogger logger, string path, long generation);

    [LoggerMessage(1104, LogLevel.Error, "Journal write failed and could not be rolled back; the embedded gallery refuses further writes")]
    public static partial void JournalBroken(ILogger logger, Exception exception);

    [LoggerMessage(1105, LogLevel.Error, "Compacting the embedded gallery failed; the journal keeps growing until a later attempt succeeds")]
    public static partial void CompactionFailed(ILogger logger, Exception exception);
}
