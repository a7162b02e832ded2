using System.Diagnostics;
using FaceGallery.Grains;
using FaceGallery.Grains.Faces;
using FaceGallery.Grains.Placement;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace FaceGallery.Server.Hosting;

/// <summary>
/// Loads the set aggregator, detector, landmarks, embedder and quality estimator at start-up, so the first request does not
/// pay for it; /health/ready reports ready only after this. The silo joins the cluster (becomes Active and
/// receives identities) only once the warm-up has settled: a silo added under load would otherwise take
/// identities while its models load and hold their callers for seconds.
/// </summary>
internal sealed partial class ModelWarmUp : BackgroundService, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly IServiceProvider _services;
    private readonly ModelReadiness _readiness;
    private readonly IOptions<ImageRequestOptions> _options;
    private readonly ILogger<ModelWarmUp> _logger;
    private readonly Lazy<Task> _warmUp;

    public ModelWarmUp(IServiceProvider services, ModelReadiness readiness, IOptions<ImageRequestOptions> options, ILogger<ModelWarmUp> logger)
    {
        _services = services;
        _readiness = readiness;
        _options = options;
        _logger = logger;
        // Whichever asks first (the silo lifecycle or the hosted service) starts the one warm-up.
        _warmUp = new Lazy<Task>(() => Task.Run(WarmUp), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ModelWarmUp), ServiceLifecycleStage.ApplicationServices, WhenWarmAsync);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => WhenWarmAsync(stoppingToken);

    private Task WhenWarmAsync(CancellationToken cancellationToken) =>
        _options.Value.WarmUpModels ? _warmUp.Value.WaitAsync(cancellationToken) : Task.CompletedTask;

    private async Task WarmUp()
    {
        // Not cancellable: the lifecycle and the hosted service only stop waiting for it.
        var started = Stopwatch.GetTimestamp();
        try
        {
            await WarmAggregatorAsync(CancellationToken.None);
            _services.GetRequiredService<FacePipeline>();
            var embedder = _services.GetRequiredService<IFaceEmbedder>();
            // A blank frame runs the detector once, so its session is warm too.
            _services.GetRequiredService<FaceAnalyzer>().Analyze(new Inference.Imaging.RgbImage(256, 256), CancellationToken.None);
            _readiness.Loaded(embedder, _services.GetRequiredService<IFaceQualityEstimator>());
            LogLoaded(_logger, embedder.Manifest.Name, embedder.Provider, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var silo = _services.GetRequiredService<SiloAccelerator>();
            if (embedder.Provider != ModelSession.CudaProvider && !silo.Overridden && silo.Value == AcceleratorMetadata.Cuda)
            {
                LogAdvertisedMismatch(_logger, embedder.Provider);
            }
        }
        catch (Exception e)
        {
            _readiness.Failed(e.Message);
            LogFailed(_logger, e);
        }
    }

    /// <summary>Runs the local aggregator once on a two-face set: its session and the code path are warm before identities arrive.</summary>
    private async Task WarmAggregatorAsync(CancellationToken cancellationToken)
    {
        var dimension = _services.GetRequiredService<IOptions<GalleryOptions>>().Value.EmbeddingDimension;
        var first = new float[dimension];
        var second = new float[dimension];
        first[0] = 1;
        second[^1] = 1;
        var aggregator = _services.GetRequiredService<LocalSetAggregator>().Inner;
        await aggregator.AggregateAsync([new SetMember(first, 1), new SetMember(second, 0.5f)], cancellationToken);
    }

    [LoggerMessage(2100, LogLevel.Information, "Face models loaded: embedder {Model} on {Provider} in {ElapsedMs:F0} ms")]
    private static partial void LogLoaded(ILogger logger, string model, string provider, double elapsedMs);

    [LoggerMessage(2101, LogLevel.Error, "Face models failed to load; image requests will fail")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(2102, LogLevel.Warning, "This silo advertises accelerator=cuda but the embedder runs on {Provider}")]
    private static partial void LogAdvertisedMismatch(ILogger logger, string provider);
}
