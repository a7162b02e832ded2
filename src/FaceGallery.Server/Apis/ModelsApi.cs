using FaceGallery.Grains;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FaceGallery.Server.Apis;

/// <summary>Which models this process uses: the face embedder and the set aggregator.</summary>
public static class ModelsApi
{
    public sealed record ModelInfo(string Name, int Dimension, string? Sha256, string? Provider, bool Loaded);

    public sealed record ModelsResponse(ModelInfo Embedder, ModelInfo Aggregator);

    public static IEndpointRouteBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/models", GetModels).WithTags("Models").WithName("GetModels")
            .WithSummary("Embedder and aggregator: name, dimension, sha256, execution provider");
        return app;
    }

    private static Ok<ModelsResponse> GetModels(IOptions<GalleryOptions> options, ISetAggregator aggregator, ModelReadiness readiness)
    {
        var gallery = options.Value;
        // Until the warm-up has loaded the embedder only its configured identity is known.
        var embedder = readiness.Embedder is { } loaded
            ? new ModelInfo(loaded.Manifest.Name, loaded.Dimension, loaded.Manifest.Sha256, loaded.Provider, Loaded: true)
            : new ModelInfo(gallery.EmbedderModelId, gallery.EmbeddingDimension, null, null, Loaded: false);
        var set = new ModelInfo(aggregator.Id, gallery.EmbeddingDimension, null, "managed", Loaded: true);
        return TypedResults.Ok(new ModelsResponse(embedder, set));
    }
}
