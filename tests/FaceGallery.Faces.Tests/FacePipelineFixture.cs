using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Detection;
using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Imaging;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceGallery.Faces.Tests;

/// <summary>The real pipeline over the repository's models, loaded once: BlazeFace on ONNX Runtime (CPU), dlib landmarks.</summary>
public sealed class FacePipelineFixture : IDisposable
{
    private readonly OnnxSessionFactory _sessions;

    public FacePipelineFixture()
    {
        _sessions = new OnnxSessionFactory(
            Options.Create(new OnnxRuntimeOptions { ModelsPath = Path.Combine(TestPaths.RepoRoot, "models"), Accelerator = Accelerator.Cpu }),
            NullLogger<OnnxSessionFactory>.Instance);
        Detector = new BlazeFaceDetector(_sessions, Options.Create(new BlazeFaceOptions()));
        Predictor = new ShapePredictor(LandmarkModelLoader.Load(Path.Combine(TestPaths.RepoRoot, "models"), "dlib-shape-predictor-5"));
        Analyzer = new FaceAnalyzer(Decoder, Detector, Predictor, Options.Create(new FaceAnalyzerOptions()), NullLogger<FaceAnalyzer>.Instance);
        Reference = DlibReference.Load();
    }

    public ImageDecoder Decoder { get; } = new();

    public BlazeFaceDetector Detector { get; }

    public ShapePredictor Predictor { get; }

    public FaceAnalyzer Analyzer { get; }

    internal DlibReference Reference { get; }

    public RgbImage Decode(string path) => Decoder.Decode(File.ReadAllBytes(path));

    public void Dispose() => _sessions.Dispose();
}
