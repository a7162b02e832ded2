using FaceGallery.Server.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FaceGallery.Server.Health;

/// <summary>
/// Graceful scale-in: on shutdown, readiness turns 503 at once and the host waits
/// <see cref="ServerOptions.DrainSeconds"/> before any service stops, so clients that watch readiness move
/// away while this server still answers them; then Kestrel drains in-flight requests and the silo leaves.
/// </summary>
internal sealed partial class ShutdownDrain(IHostApplicationLifetime lifetime, IOptions<ServerOptions> options, ILogger<ShutdownDrain> logger)
    : IHostedLifecycleService, IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("shutting down")
            : HealthCheckResult.Healthy());

    /// <summary>Runs before every hosted service's StopAsync (Kestrel's and the silo's included).</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var drain = TimeSpan.FromSeconds(options.Value.DrainSeconds);
        if (drain <= TimeSpan.Zero)
        {
            return;
        }

        LogDraining(logger, drain.TotalSeconds);
        try
        {
            await Task.Delay(drain, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first: stop now.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(2200, LogLevel.Information, "Shutting down: readiness is 503, still serving for {Seconds:0.#} s before closing")]
    private static partial void LogDraining(ILogger logger, double seconds);
}
