using FaceGallery.Contracts;
using FaceGallery.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FaceGallery.Server.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the store answers a query,
/// this silo is an Active member of the cluster and it is not shutting down, so requests sent here can be served.
/// </summary>
public static class GalleryHealthChecks
{
    /// <summary>
    /// Checks tagged with this decide <c>/health/ready</c>. Extension point: a model service adds its
    /// own "models loaded" check with <c>AddHealthChecks().AddCheck&lt;T&gt;("models", tags: [ReadyTag])</c>.
    /// </summary>
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddGalleryHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: [ReadyTag])
            .AddCheck<SiloHealthCheck>("silo", tags: [ReadyTag])
            .AddCheck<ShutdownDrain>("shutdown", tags: [ReadyTag]);
        builder.Services.AddSingleton<ShutdownDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShutdownDrain>());
        builder.Services.AddSingleton<Apis.ProbeBuilder>();
        return builder;
    }

    public static IEndpointRouteBuilder MapGalleryHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) });
        return app;
    }

    private sealed class StoreHealthCheck(IGalleryStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await store.ListIdentitiesAsync(GalleryIds.DefaultTenant, 1, null, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy("the gallery store does not answer", e);
            }
        }
    }

    private sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            return Task.FromResult(status == SiloStatus.Active
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"this silo is {status}"));
        }
    }
}
