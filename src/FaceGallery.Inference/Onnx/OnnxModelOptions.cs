namespace FaceGallery.Inference.Onnx;

/// <summary>
/// What one model wrapper asks of the session factory. <see cref="Name"/> is the model's folder under
/// `models/`; the other members override the process-wide <see cref="OnnxRuntimeOptions"/>.
/// </summary>
public sealed record OnnxModelOptions(string Name)
{
    public Accelerator? Accelerator { get; init; }

    public int? IntraOpNumThreads { get; init; }

    /// <summary>Run one zero input through the model right after loading, so the first caller does not pay for it.</summary>
    public bool WarmUp { get; init; } = true;
}
