using Microsoft.Extensions.Logging;

namespace FaceGallery.Inference.Coreset;

/// <summary>Log messages of the set aggregator. Event ids 1200–1299.</summary>
internal static partial class CoresetLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information,
        Message = "Set aggregator {Aggregator} ready on {Provider} (dimension {Dimension})")]
    public static partial void Ready(ILogger logger, string aggregator, string provider, int dimension);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Debug, Message = "Aggregated {Count} faces in {ElapsedMs:F2} ms")]
    public static partial void Aggregated(ILogger logger, int count, double elapsedMs);
}
