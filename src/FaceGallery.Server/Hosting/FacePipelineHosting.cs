using FaceGallery.Grains.Placement;
using FaceGallery.Inference;
using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Detection;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Imaging;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceGallery.Server.Hosting;

public static class FacePipelineHosting
{
    /// <summary>
    /// The face pipeline (decode, detect, align, embed, quality) bound from configuration, warmed at
    /// start-up, checked by /health/ready, and placed on accelerator silos. Call after the aggregator is
    /// registered: descriptor recomputation is routed through the same placement.
    /// </summary>
    public static WebApplicationBuilder AddGalleryFacePipeline(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddFaceAnalysis();
        services.Configure<OnnxRuntimeOptions>(configuration.GetSection(OnnxRuntimeOptions.SectionName));
        services.Configure<FaceEmbedderOptions>(configuration.GetSection(FaceEmbedderOptions.SectionName));
        services.Configure<FaceAnalyzerOptions>(configuration.GetSection(FaceAnalyzerOptions.SectionName));
        services.AddOptions<FaceQualityOptions>().Bind(configuration.GetSection(FaceQualityOptions.SectionName)).ValidateOnStart();
        services.Configure<BlazeFaceOptions>(configuration.GetSection(BlazeFaceOptions.SectionName));
        services.Configure<ImageDecoderOptions>(configuration.GetSection(ImageDecoderOptions.SectionName));
        services.Configure<InferencePlacementOptions>(configuration.GetSection(InferencePlacementOptions.SectionName));
        services.AddOptions<ImageRequestOptions>()
            .Bind(configuration.GetSection(ImageRequestOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddInferencePlacement();
        services.AddSingleton<ModelReadiness>();
        services.AddSingleton<ModelWarmUp>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelWarmUp>());
        services.AddSingleton<Orleans.ILifecycleParticipant<Orleans.Runtime.ISiloLifecycle>>(sp => sp.GetRequiredService<ModelWarmUp>());
        services.AddHealthChecks().AddCheck<ModelsHealthCheck>("models", tags: ["ready"]);
        return builder;
    }

    private sealed class ModelsHealthCheck(ModelReadiness readiness, Microsoft.Extensions.Options.IOptions<ImageRequestOptions> options) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(readiness switch
            {
                { Embedder: not null } => HealthCheckResult.Healthy("face models loaded"),
                { Failure: { } failure } => HealthCheckResult.Unhealthy($"face models failed to load: {failure}"),
                _ when !options.Value.WarmUpModels => HealthCheckResult.Healthy("face models load on first use"),
                _ => HealthCheckResult.Unhealthy("face models are loading"),
            });
    }
}
