using FaceGallery.Inference.Faces;

namespace FaceGallery.Server.Hosting;

/// <summary>What the start-up warm-up achieved: the loaded embedder, or why loading failed.</summary>
public sealed class ModelReadiness
{
    private volatile IFaceEmbedder? _embedder;
    private volatile string? _failure;

    public IFaceEmbedder? Embedder => _embedder;

    public string? Failure => _failure;

    public void Loaded(IFaceEmbedder embedder) => _embedder = embedder;

    public void Failed(string reason) => _failure = reason;
}
