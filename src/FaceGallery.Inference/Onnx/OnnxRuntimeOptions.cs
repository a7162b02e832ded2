namespace FaceGallery.Inference.Onnx;

/// <summary>
/// Process-wide ONNX Runtime settings, bound from the `FaceGallery` configuration section by the host.
/// </summary>
public sealed class OnnxRuntimeOptions
{
    public const string SectionName = "FaceGallery";

    /// <summary>Requested provider. CUDA failures always fall back to CPU with a logged reason.</summary>
    public Accelerator Accelerator { get; set; } = Accelerator.Auto;

    /// <summary>
    /// Folder holding one sub-folder per model (`models/&lt;name&gt;/manifest.json`). When unset the
    /// nearest `models` folder walking up from the application's base directory is used.
    /// </summary>
    public string? ModelsPath { get; set; }

    public int CudaDeviceId { get; set; }

    /// <summary>Threads ONNX Runtime uses inside one operator; 0 lets it choose (one per core).</summary>
    public int IntraOpNumThreads { get; set; }

    /// <summary>Hash the model file against its manifest before loading it (about 0.1 s per 20 MB).</summary>
    public bool VerifyChecksums { get; set; } = true;
}
