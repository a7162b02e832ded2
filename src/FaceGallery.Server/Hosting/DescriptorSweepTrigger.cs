using FaceGallery.Contracts;

namespace FaceGallery.Server.Hosting;

/// <summary>
/// Asks the cluster's descriptor sweeper to run once this silo is up: after a model change (or a
/// crash between a sample write and its descriptor) stale descriptors are rebuilt in the background.
/// Every silo asks; the sweeper is one grain, so the work happens once.
/// </summary>
internal sealed partial class DescriptorSweepTrigger(IGrainFactory grains, ILogger<DescriptorSweepTrigger> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await grains.GetGrain<IDescriptorMaintenanceGrain>(0).Start(stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 10)
            {
                LogRetry(logger, e, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), stoppingToken);
            }
        }
    }

    [LoggerMessage(2100, LogLevel.Warning, "Could not start the descriptor sweep (attempt {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, int attempt);
}
