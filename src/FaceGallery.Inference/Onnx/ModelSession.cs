using Microsoft.ML.OnnxRuntime;

namespace FaceGallery.Inference.Onnx;

/// <summary>
/// A loaded model: its manifest, the process's single <see cref="InferenceSession"/> for it, and the
/// provider that session actually runs on. Owned by <see cref="OnnxSessionFactory"/>; callers share it
/// (<see cref="InferenceSession.Run(IReadOnlyCollection{NamedOnnxValue})"/> is thread-safe) and never dispose it.
/// </summary>
public sealed class ModelSession
{
    public const string CudaProvider = "CUDAExecutionProvider";
    public const string CpuProvider = "CPUExecutionProvider";

    private readonly SessionOptions sessionOptions;

    internal ModelSession(ModelManifest manifest, InferenceSession session, SessionOptions sessionOptions, string provider)
    {
        Manifest = manifest;
        Session = session;
        this.sessionOptions = sessionOptions;
        Provider = provider;
    }

    public ModelManifest Manifest { get; }

    public InferenceSession Session { get; }

    /// <summary>ONNX Runtime's name of the provider in use: <see cref="CudaProvider"/> or <see cref="CpuProvider"/>.</summary>
    public string Provider { get; }

    public Accelerator Accelerator => Provider == CudaProvider ? Accelerator.Cuda : Accelerator.Cpu;

    internal void Release()
    {
        Session.Dispose();
        sessionOptions.Dispose();
    }
}
