using FaceGallery.Contracts;
using FaceGallery.Server.Apis;

namespace FaceGallery.Server.Tenancy;

/// <summary>
/// Decides which tenant a request acts for. Without configured tenants every request is the
/// <c>default</c> tenant. Once any tenant is configured, every <c>/v1</c> call must carry a known
/// <c>X-Api-Key</c> (401 <c>unauthorized</c> otherwise) and acts for that key's tenant only.
/// Handlers read the result through <see cref="GetTenant"/>.
/// </summary>
public static class TenantMiddleware
{
    public const string ApiKeyHeader = "X-Api-Key";
    private const string ItemKey = "facegallery.tenant";

    public static WebApplicationBuilder AddTenancy(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TenantDirectory.FromConfiguration(builder.Configuration));
        return builder;
    }

    public static IApplicationBuilder UseTenancy(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var directory = context.RequestServices.GetRequiredService<TenantDirectory>();
            if (!directory.RequiresKeys)
            {
                context.Items[ItemKey] = GalleryIds.DefaultTenant;
                await next(context);
                return;
            }

            var tenant = directory.Authenticate(context.Request.Headers[ApiKeyHeader].ToString());
            if (tenant is not null)
            {
                context.Items[ItemKey] = tenant;
            }
            else if (IsApiPath(context.Request.Path))
            {
                context.Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ApiKeyHeader}\"";
                await ProblemMapping.Problem(ErrorCodes.Unauthorized,
                    $"This server needs a valid {ApiKeyHeader} header for /v1 calls.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    /// <summary>The tenant this request acts for; the <c>default</c> tenant when no keys are configured.</summary>
    public static string GetTenant(this HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var tenant) && tenant is string name
            ? name
            : throw new InvalidOperationException("No tenant was decided for this request.");

    /// <summary>The tenant, or null when the request carried no known key (outside /v1).</summary>
    public static string? FindTenant(this HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var tenant) ? tenant as string : null;

    public static bool IsApiPath(PathString path) => path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);
}
