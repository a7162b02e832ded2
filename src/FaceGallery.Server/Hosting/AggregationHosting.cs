using FaceGallery.Inference.Aggregation;

namespace FaceGallery.Server.Hosting;

public static class AggregationHosting
{
    /// <summary>The set aggregator used for identity descriptors and multi-image probes alike.</summary>
    public static WebApplicationBuilder AddGalleryAggregation(this WebApplicationBuilder builder)
    {
        builder.Services.AddSetAggregator();
        return builder;
    }
}
