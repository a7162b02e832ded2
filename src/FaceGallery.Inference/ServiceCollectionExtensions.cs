using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FaceGallery.Inference;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The process-wide ONNX session factory and the face embedder, as singletons (one session per model
    /// per process). The host binds <see cref="OnnxRuntimeOptions"/> and <see cref="FaceEmbedderOptions"/>
    /// from configuration; resolving <see cref="IFaceEmbedder"/> at start loads and warms the model.
    /// </summary>
    public static IServiceCollection AddFaceEmbedder(this IServiceCollection services)
    {
        services.AddOptions<OnnxRuntimeOptions>();
        services.AddOptions<FaceEmbedderOptions>();
        services.TryAddSingleton<OnnxSessionFactory>();
        services.TryAddSingleton<FaceEmbedder>();
        services.TryAddSingleton<IFaceEmbedder>(sp => sp.GetRequiredService<FaceEmbedder>());
        return services;
    }
}
