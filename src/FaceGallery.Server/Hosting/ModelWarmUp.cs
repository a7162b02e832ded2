using System.Diagnostics;
using FaceGallery.Grains.Faces;
using FaceGallery.Grains.Placement;
using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Options;

namespace FaceGallery.Server.Hosting;

/// <summary>
/// Loads detector, landmarks, embedder and quality estimator in the background once the host runs, so the first image
/// request does not pay for it; /health/ready reports ready only after this.
/// </summary>
internal sealed partial class ModelWarmUp(
    IServiceProvider services,
    ModelReadiness readiness,
    IOptions<ImageRequestOptions> options,
    ILogger<ModelWarmUp> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.WarmUpModels ? Task.Run(() => WarmUp(stoppingToken), stoppingToken) : Task.CompletedTask;

    private void WarmUp(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            services.GetRequiredService<FacePipeline>();
            var embedder = services.GetRequiredService<IFaceEmbedder>();
            // A blank frame runs the detector once, so its session is warm too.
            services.GetRequiredService<FaceAnalyzer>().Analyze(new Inference.Imaging.RgbImage(256, 256), cancellationToken);
            readiness.Loaded(embedder, services.GetRequiredService<IFaceQualityEstimator>());
            LogLoaded(logger, embedder.Manifest.Name, embedder.Provider, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var silo = services.GetRequiredService<SiloAccelerator>();
            if (embedder.Provider != ModelSession.CudaProvider && !silo.Overridden && silo.Value == AcceleratorMetadata.Cuda)
            {
                LogAdvertisedMismatch(logger, embedder.Provider);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            readiness.Failed(e.Message);
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(2100, LogLevel.Information, "Face models loaded: embedder {Model} on {Provider} in {ElapsedMs:F0} ms")]
    private static partial void LogLoaded(ILogger logger, string model, string provider, double elapsedMs);

    [LoggerMessage(2101, LogLevel.Error, "Face models failed to load; image requests will fail")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(2102, LogLevel.Warning, "This silo advertises accelerator=cuda but the embedder runs on {Provider}")]
    private static partial void LogAdvertisedMismatch(ILogger logger, string provider);
}
