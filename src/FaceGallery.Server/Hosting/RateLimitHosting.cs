using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using FaceGallery.Contracts;
using FaceGallery.Server.Apis;
using FaceGallery.Server.Tenancy;
using Microsoft.AspNetCore.RateLimiting;

namespace FaceGallery.Server.Hosting;

/// <summary>Section "FaceGallery:RateLimit": requests per second per API key; 0 turns it off.</summary>
public sealed class RateLimitSettings
{
    public const string SectionName = "FaceGallery:RateLimit";

    [Range(0, 1_000_000)]
    public double RequestsPerSecond { get; set; }

    /// <summary>Requests a key may send at once after a quiet spell; defaults to one second's worth.</summary>
    [Range(0, 10_000_000)]
    public int Burst { get; set; }
}

public static class RateLimitHosting
{
    /// <summary>
    /// A token bucket per API key (per tenant, since each tenant has one key), or per client address
    /// when no keys are configured. Only /v1 is limited; health and metrics stay reachable.
    /// </summary>
    public static WebApplicationBuilder AddGalleryRateLimits(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(RateLimitSettings.SectionName).Get<RateLimitSettings>() ?? new();
        Validator.ValidateObject(settings, new ValidationContext(settings), validateAllProperties: true);
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                settings.RequestsPerSecond <= 0 || !TenantMiddleware.IsApiPath(context.Request.Path)
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetTokenBucketLimiter(PartitionKey(context), _ => BucketFor(settings)));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = OnRejectedAsync;
        });
        return builder;
    }

    private static string PartitionKey(HttpContext context) =>
        context.FindTenant() is { } tenant && context.Request.Headers.ContainsKey(TenantMiddleware.ApiKeyHeader)
            ? "key:" + tenant
            : "ip:" + context.Connection.RemoteIpAddress;

    private static TokenBucketRateLimiterOptions BucketFor(RateLimitSettings settings)
    {
        // Refill ten times a second so a key is not held back for a whole second after a burst.
        var perTick = Math.Max(1, (int)Math.Ceiling(settings.RequestsPerSecond / 10));
        var period = TimeSpan.FromSeconds(perTick / settings.RequestsPerSecond);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.Burst > 0 ? settings.Burst : Math.Max(1, (int)Math.Ceiling(settings.RequestsPerSecond)),
            TokensPerPeriod = perTick,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ProblemMapping.Problem(ErrorCodes.RateLimited,
            $"Too many requests for this key; retry after {seconds} s.").ExecuteAsync(http);
    }
}
