using System.Diagnostics.Metrics;
using FaceGallery.Contracts;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Storage;
using Microsoft.Extensions.Logging;

namespace FaceGallery.Grains.Maintenance;

/// <summary>
/// Sweeps stale descriptors in batches on a grain timer, so the grain stays responsive to status
/// calls between batches. Each identity recomputes inside its own grain, which keeps the
/// one-writer-per-identity rule; the sweep only says who needs it.
/// </summary>
internal sealed partial class DescriptorMaintenanceGrain(
    IGalleryStore store,
    ISetAggregator aggregator,
    IGrainFactory grains,
    TimeProvider clock,
    IMeterFactory meters,
    ILogger<DescriptorMaintenanceGrain> logger) : Grain, IDescriptorMaintenanceGrain
{
    private const int BatchSize = 100;
    private const int Parallelism = 4;

    private readonly Counter<long> _recomputed = meters.Create("FaceGallery")
        .CreateCounter<long>("facegallery.descriptor_sweep.recomputed", description: "Descriptors recomputed by the background sweep");

    private IGrainTimer? _timer;
    private IdentityKey? _cursor;
    private DescriptorSweepStatus _status = new(false, aggregator.Id, 0, 0, null, null);

    Task IDescriptorMaintenanceGrain.Start(CancellationToken cancellationToken)
    {
        if (_timer is null)
        {
            _cursor = null;
            _status = new DescriptorSweepStatus(true, aggregator.Id, 0, 0, clock.GetUtcNow(), null);
            _timer = this.RegisterGrainTimer(SweepBatchAsync, new GrainTimerCreationOptions
            {
                DueTime = TimeSpan.Zero,
                Period = TimeSpan.FromMilliseconds(200),
                KeepAlive = true,
            });
        }

        return Task.CompletedTask;
    }

    Task<DescriptorSweepStatus> IDescriptorMaintenanceGrain.GetStatus(CancellationToken cancellationToken) => Task.FromResult(_status);

    private async Task SweepBatchAsync(CancellationToken cancellationToken)
    {
        var stale = await store.ListStaleDescriptorsAsync(aggregator.Id, _cursor, BatchSize, cancellationToken);
        if (stale.Count == 0)
        {
            _timer?.Dispose();
            _timer = null;
            _status = _status with { Running = false, FinishedAt = clock.GetUtcNow() };
            if (_status.Recomputed + _status.Failed > 0)
            {
                LogFinished(logger, _status.AggregatorId, _status.Recomputed, _status.Failed);
            }

            return;
        }

        long done = 0, failed = 0;
        await Parallel.ForEachAsync(stale, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (key, ct) =>
            {
                try
                {
                    await grains.GetGrain<IIdentityGrain>(key.GrainKey).RefreshDescriptor(ct);
                    Interlocked.Increment(ref done);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A failure leaves the identity stale; its next activation repairs it.
                    Interlocked.Increment(ref failed);
                    LogIdentityFailed(logger, e, key.GrainKey);
                }
            });

        // Past this batch: a failing identity must not stall the sweep.
        _cursor = stale[^1];
        _recomputed.Add(done);
        _status = _status with { Recomputed = _status.Recomputed + done, Failed = _status.Failed + failed };
        LogProgress(logger, _status.AggregatorId, _status.Recomputed, _status.Failed);
    }

    [LoggerMessage(1100, LogLevel.Information, "Descriptor sweep to {Aggregator}: {Recomputed} recomputed, {Failed} failed so far")]
    private static partial void LogProgress(ILogger logger, string aggregator, long recomputed, long failed);

    [LoggerMessage(1101, LogLevel.Information, "Descriptor sweep to {Aggregator} finished: {Recomputed} recomputed, {Failed} failed")]
    private static partial void LogFinished(ILogger logger, string aggregator, long recomputed, long failed);

    [LoggerMessage(1102, LogLevel.Warning, "Descriptor sweep could not refresh {Identity}")]
    private static partial void LogIdentityFailed(ILogger logger, Exception exception, string identity);
}
