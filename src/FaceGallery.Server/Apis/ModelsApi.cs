using FaceGallery.Grains;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FaceGallery.Server.Apis;

/// <summary>Which models this process uses: the face embedder, the set aggregator and the face quality estimator.</summary>
public static class ModelsApi
{
    public sealed record ModelInfo(string Name, int Dimension, string? Sha256, string? Provider, bool Loaded);

    /// <summary><paramref name="Quality"/> names the estimator behind every reported and stored face quality (`v1` or a learned model).</summary>
    public sealed record ModelsResponse(ModelInfo Embedder, ModelInfo Aggregator, ModelInfo Quality);

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", GetModels).WithTags("Models").WithName("GetModels")
            .WithSummary("Embedder, aggregator and quality estimator: name, dimension, sha256, execution provider");
        return app;
    }

    private static Ok<ModelsResponse> GetModels(IOptions<GalleryOptions> options, IOptions<FaceQualityOptions> qualityOptions, ISetAggregator aggregator, ModelReadiness readiness)
    {
        var gallery = options.Value;
        // Until the warm-up has loaded the embedder only its configured identity is known.
        var embedder = readiness.Embedder is { } loaded
            ? new ModelInfo(loaded.Manifest.Name, loaded.Dimension, loaded.Manifest.Sha256, loaded.Provider, Loaded: true)
            : new ModelInfo(gallery.EmbedderModelId, gallery.EmbeddingDimension, null, null, Loaded: false);
        var set = new ModelInfo(aggregator.Id, gallery.EmbeddingDimension, null, "managed", Loaded: true);
        var quality = readiness.Quality switch
        {
            LearnedFaceQuality learned => new ModelInfo(learned.Name, learned.Dimension, learned.Manifest.Sha256, learned.Provider, Loaded: true),
            { } handMade => new ModelInfo(handMade.Name, gallery.EmbeddingDimension, null, "managed", Loaded: true),
            null => new ModelInfo(QualityName(qualityOptions.Value), gallery.EmbeddingDimension, null, null, Loaded: false),
        };
        return TypedResults.Ok(new ModelsResponse(embedder, set, quality));
    }

    private static string QualityName(FaceQualityOptions options) =>
        options.Estimator == FaceQualityOptions.LearnedEstimator ? options.Model : options.Estimator;
}
