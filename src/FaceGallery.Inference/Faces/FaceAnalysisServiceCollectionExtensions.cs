using FaceGallery.Inference.Faces.Detection;
using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Imaging;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceGallery.Inference.Faces;

public static class FaceAnalysisServiceCollectionExtensions
{
    /// <summary>
    /// Image decoding, BlazeFace detection, dlib landmarks and chips, the embedder, and the quality estimator
    /// chosen by <see cref="FaceQualityOptions.Estimator"/>, as singletons behind <see cref="FaceAnalyzer"/>. The
    /// host binds <see cref="ImageDecoderOptions"/>, <see cref="BlazeFaceOptions"/>, <see cref="FaceAnalyzerOptions"/>,
    /// <see cref="FaceQualityOptions"/>, <see cref="FaceEmbedderOptions"/> and <see cref="OnnxRuntimeOptions"/> from configuration.
    /// </summary>
    public static IServiceCollection AddFaceAnalysis(this IServiceCollection services)
    {
        services.AddOptions<ImageDecoderOptions>();
        services.AddOptions<BlazeFaceOptions>();
        services.AddOptions<FaceAnalyzerOptions>();
        services.AddOptions<OnnxRuntimeOptions>();
        services.TryAddSingleton<OnnxSessionFactory>();
        services.TryAddSingleton(sp => new ImageDecoder(sp.GetRequiredService<IOptions<ImageDecoderOptions>>().Value));
        services.TryAddSingleton<BlazeFaceDetector>();
        services.TryAddSingleton<IFaceDetector>(sp => sp.GetRequiredService<BlazeFaceDetector>());
        services.TryAddSingleton(sp =>
        {
            var runtime = sp.GetRequiredService<IOptions<OnnxRuntimeOptions>>().Value;
            var name = sp.GetRequiredService<IOptions<FaceAnalyzerOptions>>().Value.LandmarkModel;
            var models = ModelLocator.FindModelsDirectory(runtime.ModelsPath);
            var folder = Path.Combine(models, name);
            var predictor = new ShapePredictor(LandmarkModelLoader.Load(models, name));
            var logger = sp.GetRequiredService<ILogger<FaceAnalyzer>>();
            FaceLog.LandmarkModelLoaded(logger, name, folder);
            return predictor;
        });
        services.AddFaceEmbedder();
        services.AddOptions<FaceQualityOptions>()
            .Validate(o => o.IsKnownEstimator, $"{FaceQualityOptions.SectionName}:Estimator must be '{FaceQualityOptions.LearnedEstimator}' or '{FaceQualityOptions.V1Estimator}'.");
        services.TryAddSingleton<IFaceQualityEstimator>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<FaceQualityOptions>>();
            return options.Value.Estimator == FaceQualityOptions.V1Estimator
                ? new HandMadeFaceQuality()
                : new LearnedFaceQuality(sp.GetRequiredService<OnnxSessionFactory>(), options);
        });
        services.TryAddSingleton<FaceAnalyzer>();
        return services;
    }
}
