using Microsoft.Extensions.Logging;

namespace FaceGallery.Grains.Placement;

/// <summary>Log messages of inference placement (event ids 1100–1199).</summary>
internal static partial class PlacementLog
{
    [LoggerMessage(1100, LogLevel.Debug, "Inference ran on this silo: {Kind} of {Items} items")]
    public static partial void PlacedRun(ILogger logger, string kind, int items);
}
