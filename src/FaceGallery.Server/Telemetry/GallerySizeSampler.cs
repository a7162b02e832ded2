using FaceGallery.Contracts;
using FaceGallery.Inference.Telemetry;
using FaceGallery.Server.Tenancy;
using FaceGallery.Storage;

namespace FaceGallery.Server.Telemetry;

/// <summary>
/// Counts each tenant's identities now and then for the <c>facegallery_gallery_identities</c>
/// gauge, so a scrape never waits on the store. Counting pages through the listing (1000 ids per
/// query); every silo samples on its own, so keep the interval generous on large galleries.
/// </summary>
internal sealed partial class GallerySizeSampler(IGalleryStore store, TenantDirectory tenants, GalleryTelemetry telemetry,
    TelemetrySettings settings, ILogger<GallerySizeSampler> logger) : BackgroundService
{
    private const int PageSize = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var names = tenants.RequiresKeys ? tenants.TenantNames : [GalleryIds.DefaultTenant];
        using var timer = new PeriodicTimer(settings.GallerySizeInterval);
        do
        {
            foreach (var tenant in names)
            {
                try
                {
                    telemetry.SetGallerySize(tenant, await CountAsync(tenant, stoppingToken));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogCountFailed(logger, e, tenant);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<long> CountAsync(string tenant, CancellationToken cancellationToken)
    {
        long count = 0;
        string? after = null;
        while (true)
        {
            var page = await store.ListIdentitiesAsync(tenant, PageSize, after, cancellationToken);
            count += page.Count;
            if (page.Count < PageSize)
            {
                return count;
            }

            after = page[^1].IdentityId;
        }
    }

    [LoggerMessage(2100, LogLevel.Warning, "Could not count the identities of tenant {Tenant}")]
    private static partial void LogCountFailed(ILogger logger, Exception exception, string tenant);
}
