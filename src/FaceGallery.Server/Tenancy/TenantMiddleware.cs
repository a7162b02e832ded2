using FaceGallery.Contracts;

namespace FaceGallery.Server.Tenancy;

/// <summary>
/// Decides which tenant a request acts for. Without configured tenants every request is the
/// <c>default</c> tenant; handlers read the result through <see cref="GetTenant"/>.
/// </summary>
public static class TenantMiddleware
{
    private const string ItemKey = "facegallery.tenant";

    public static IApplicationBuilder UseTenancy(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Items[ItemKey] = GalleryIds.DefaultTenant;
            return next(context);
        });

    public static string GetTenant(this HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var tenant) && tenant is string name ? name : GalleryIds.DefaultTenant;
}
