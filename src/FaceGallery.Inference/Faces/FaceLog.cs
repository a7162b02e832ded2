using Microsoft.Extensions.Logging;

namespace FaceGallery.Inference.Faces;

/// <summary>Log messages of the face pipeline (event ids 1200–1299).</summary>
internal static partial class FaceLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Debug,
        Message = "Analyzed a {Width}x{Height} image: {Detected} faces detected, {Aligned} aligned in {ElapsedMs:F1} ms")]
    public static partial void Analyzed(ILogger logger, int width, int height, int detected, int aligned, double elapsedMs);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Landmark model {Model} loaded from {Path}")]
    public static partial void LandmarkModelLoaded(ILogger logger, string model, string path);
}
