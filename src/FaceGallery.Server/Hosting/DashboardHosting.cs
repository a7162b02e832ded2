using Orleans.Dashboard;

namespace FaceGallery.Server.Hosting;

/// <summary>Section "FaceGallery:Dashboard": Orleans Dashboard, off by default.</summary>
public sealed class DashboardSettings
{
    public const string SectionName = "FaceGallery:Dashboard";

    public bool Enabled { get; set; }

    public string Path { get; set; } = "/dashboard";

    /// <summary>
    /// The dashboard has no authentication and shows grain ids (tenant/identity ids), so it answers
    /// loopback callers only unless this is set (e.g. behind an authenticating proxy).
    /// </summary>
    public bool AllowRemote { get; set; }
}

public static class DashboardHosting
{
    public static ISiloBuilder UseConfiguredDashboard(this ISiloBuilder silo, IConfiguration configuration)
    {
        if (Settings(configuration).Enabled)
        {
            silo.AddDashboard();
        }

        return silo;
    }

    public static WebApplication MapGalleryDashboard(this WebApplication app)
    {
        var settings = Settings(app.Configuration);
        if (!settings.Enabled)
        {
            return app;
        }

        var dashboard = app.MapOrleansDashboard(routePrefix: settings.Path);
        if (!settings.AllowRemote)
        {
            dashboard.AddEndpointFilter((context, next) =>
                context.HttpContext.Connection.RemoteIpAddress is { } address && !System.Net.IPAddress.IsLoopback(address)
                    ? ValueTask.FromResult<object?>(Results.StatusCode(StatusCodes.Status403Forbidden))
                    : next(context));
        }

        return app;
    }

    private static DashboardSettings Settings(IConfiguration configuration) =>
        configuration.GetSection(DashboardSettings.SectionName).Get<DashboardSettings>() ?? new();
}
