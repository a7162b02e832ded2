using Microsoft.Extensions.Logging;

namespace FaceGallery.Inference.Onnx;

/// <summary>
/// Every log message of the inference library. Event ids: 1000–1099 sessions and providers,
/// 1100–1199 face models.
/// </summary>
internal static partial class InferenceLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Model {Model} loaded on {Provider} from {Path}")]
    public static partial void ModelLoaded(ILogger logger, string model, string provider, string path);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning,
        Message = "Model {Model}: accelerator {Requested} asked for CUDA, which is unavailable ({ExceptionType}: {Reason}); running on CPU")]
    public static partial void CudaUnavailable(ILogger logger, string model, Accelerator requested, string exceptionType, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Model {Model} warmed up in {ElapsedMs:F1} ms")]
    public static partial void WarmedUp(ILogger logger, string model, double elapsedMs);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Model {Model}: no warm-up, input {Input} is not float")]
    public static partial void WarmUpSkipped(ILogger logger, string model, string input);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "Face embedder batch of {Count} failed")]
    public static partial void EmbedBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Face embedder ran a batch of {Count} in {ElapsedMs:F2} ms")]
    public static partial void EmbedBatchRan(ILogger logger, int count, double elapsedMs);
}
