using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Detection;
using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Faces.Quality;
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
        Embedder = new FaceEmbedder(_sessions, Options.Create(new FaceEmbedderOptions()), NullLogger<FaceEmbedder>.Instance);
        LearnedQuality = new LearnedFaceQuality(_sessions, Options.Create(new FaceQualityOptions()));
        Analyzer = NewAnalyzer(LearnedQuality);
        Reference = DlibReference.Load();
    }

    public ImageDecoder Decoder { get; } = new();

    public BlazeFaceDetector Detector { get; }

    public ShapePredictor Predictor { get; }

    public FaceEmbedder Embedder { get; }

    /// <summary>The learned estimator the product selects by default (models/quality-dlib128-v2).</summary>
    public LearnedFaceQuality LearnedQuality { get; }

    /// <summary>The analyzer with the default (learned) quality estimator.</summary>
    public FaceAnalyzer Analyzer { get; }

    public FaceAnalyzer NewAnalyzer(IFaceQualityEstimator quality) =>
        new(Decoder, Detector, Predictor, Embedder, quality, Options.Create(new FaceAnalyzerOptions()), NullLogger<FaceAnalyzer>.Instance);

    internal DlibReference Reference { get; }

    public RgbImage Decode(string path) => Decoder.Decode(File.ReadAllBytes(path));

    public void Dispose()
    {
        Embedder.Dispose();
        _sessions.Dispose();
    }
}
