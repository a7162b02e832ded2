using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceGallery.Inference.Tests;

/// <summary>Loads the real model once for every test class that shares it.</summary>
public sealed class EmbedderFixture : IDisposable
{
    public EmbedderFixture()
    {
        Sessions = new OnnxSessionFactory(Options.Create(new OnnxRuntimeOptions()), NullLogger<OnnxSessionFactory>.Instance);
        Embedder = new FaceEmbedder(Sessions, Options.Create(new FaceEmbedderOptions()), NullLogger<FaceEmbedder>.Instance);
    }

    public OnnxSessionFactory Sessions { get; }

    public FaceEmbedder Embedder { get; }

    public void Dispose()
    {
        Embedder.Dispose();
        Sessions.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class EmbedderCollection : ICollectionFixture<EmbedderFixture>
{
    public const string Name = "embedder";
}
