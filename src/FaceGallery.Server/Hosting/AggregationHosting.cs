using FaceGallery.Inference.Aggregation;
using FaceGallery.Inference.Coreset;
using FaceGallery.Inference.Onnx;

namespace FaceGallery.Server.Hosting;

public static class AggregationHosting
{
    /// <summary>Which set aggregator builds descriptors: <c>coreset</c> (FaceCoresetNet, default), <c>quality-mean</c> or <c>mean</c>.</summary>
    public const string AggregatorSetting = "FaceGallery:Aggregator";

    /// <summary>
    /// The set aggregator used for identity descriptors and multi-image probes alike. Changing it
    /// makes every stored descriptor stale; grains recompute theirs when next activated and
    /// <see cref="Grains.Maintenance"/> sweeps the rest in the background.
    /// </summary>
    public static WebApplicationBuilder AddGalleryAggregation(this WebApplicationBuilder builder)
    {
        var kind = builder.Configuration.GetValue(AggregatorSetting, "coreset");
        switch (kind)
        {
            case "coreset":
                builder.Services.AddOptions<OnnxRuntimeOptions>().Bind(builder.Configuration.GetSection("FaceGallery"));
                builder.Services.AddOptions<CoresetAggregatorOptions>().Bind(builder.Configuration.GetSection(CoresetAggregatorOptions.SectionName));
                builder.Services.AddCoresetAggregator();
                break;
            case MeanAggregator.QualityMeanId:
                builder.Services.AddSingleton<ISetAggregator>(new MeanAggregator(qualityWeighted: true));
                break;
            case MeanAggregator.MeanId:
                builder.Services.AddSingleton<ISetAggregator>(new MeanAggregator(qualityWeighted: false));
                break;
            default:
                throw new InvalidOperationException($"{AggregatorSetting} must be coreset, quality-mean or mean, not '{kind}'.");
        }

        return builder;
    }
}
