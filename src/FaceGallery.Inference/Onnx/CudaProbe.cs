using Microsoft.ML.OnnxRuntime;

namespace FaceGallery.Inference.Onnx;

/// <summary>
/// Whether ONNX Runtime can register its CUDA execution provider in this build on this machine, asked
/// before any model loads (silo metadata is fixed before the silo starts).
/// </summary>
public static class CudaProbe
{
    public static bool TryInitialise(int deviceId, out string? reason)
    {
        using var options = new SessionOptions();
        try
        {
            options.AppendExecutionProvider_CUDA(deviceId);
            reason = null;
            return true;
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            reason = $"{ex.GetType().Name}: {ex.Message}";
            return false;
        }
    }
}
