using FaceGallery.Inference.Aggregation;

namespace FaceGallery.Server.Hosting;

public static class AggregationHosting
{
    /// <summary>
    /// The set aggregator used for identity descriptors and multi-image probes alike
    /// (<c>FaceGallery:Aggregator</c>). Changing it makes every stored descriptor stale; grains
    /// recompute theirs when next activated and the descriptor sweep does the rest in the background.
    /// </summary>
    public static WebApplicationBuilder AddGalleryAggregation(this WebApplicationBuilder builder)
    {
        builder.Services.AddSetAggregator(builder.Configuration);
        return builder;
    }
}
