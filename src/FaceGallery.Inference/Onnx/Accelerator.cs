namespace FaceGallery.Inference.Onnx;

/// <summary>
/// Which execution provider a process asks ONNX Runtime for (`FaceGallery__Accelerator`).
/// Binds case-insensitively from configuration: `cuda`, `cpu`, `auto`.
/// </summary>
public enum Accelerator
{
    /// <summary>CUDA when this build and machine can load it, otherwise CPU.</summary>
    Auto = 0,
    Cpu,
    Cuda,
}
