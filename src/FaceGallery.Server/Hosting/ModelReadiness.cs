using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Quality;

namespace FaceGallery.Server.Hosting;

/// <summary>What the start-up warm-up achieved: the loaded embedder and quality estimator, or why loading failed.</summary>
public sealed class ModelReadiness
{
    private volatile IFaceEmbedder? _embedder;
    private volatile IFaceQualityEstimator? _quality;
    private volatile string? _failure;

    public IFaceEmbedder? Embedder => _embedder;

    public IFaceQualityEstimator? Quality => _quality;

    public string? Failure => _failure;

    public void Loaded(IFaceEmbedder embedder, IFaceQualityEstimator quality)
    {
        _quality = quality;
        _embedder = embedder;
    }

    public void Failed(string reason) => _failure = reason;
}
