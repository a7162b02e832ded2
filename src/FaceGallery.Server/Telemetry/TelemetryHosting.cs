using FaceGallery.Inference.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FaceGallery.Server.Telemetry;

/// <summary>
/// OpenTelemetry for the whole process: one trace from the HTTP request through Orleans grain
/// calls to Npgsql and the project's own inference spans; Prometheus text at <c>/metrics</c> with
/// the FaceGallery, Orleans, ASP.NET Core and runtime meters; OTLP export when configured.
/// </summary>
public static class TelemetryHosting
{
    private static readonly string[] Meters =
    [
        GalleryTelemetry.Name,
        "Microsoft.Orleans",
        "System.Runtime",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.RateLimiting",
        "Npgsql",
    ];

    public static WebApplicationBuilder AddGalleryTelemetry(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(TelemetrySettings.SectionName).Get<TelemetrySettings>() ?? new();
        builder.Services.AddSingleton(settings);
        builder.Services.TryAddSingleton<GalleryTelemetry>();
        builder.Services.AddHostedService<GallerySizeSampler>();

        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (settings.JsonConsoleLogs)
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("facegallery-server"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(options => options.Filter = http => !IsScrapeOrProbe(http.Request.Path, settings))
                .AddSource("Microsoft.Orleans.*")
                .AddNpgsql()
                .AddSource(GalleryTelemetry.Name))
            .WithMetrics(metrics => metrics
                .AddMeter(Meters)
                .AddPrometheusExporter());

        if (!string.IsNullOrWhiteSpace(settings.OtlpEndpoint))
        {
            var protocol = settings.OtlpProtocol.StartsWith("http", StringComparison.OrdinalIgnoreCase)
                ? OtlpExportProtocol.HttpProtobuf
                : OtlpExportProtocol.Grpc;
            otel.WithLogging().UseOtlpExporter(protocol, new Uri(settings.OtlpEndpoint));
        }

        return builder;
    }

    /// <summary>Times enroll, search and verify calls (image routes included) into the facegallery_* histograms.</summary>
    public static IApplicationBuilder UseGalleryRequestMetrics(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var operation = RequestOperation.Of(context);
            if (operation is null)
            {
                await next(context);
                return;
            }

            var telemetry = context.RequestServices.GetRequiredService<GalleryTelemetry>();
            var started = TimeProvider.System.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var elapsed = TimeProvider.System.GetElapsedTime(started);
                var tenant = Tenancy.TenantMiddleware.FindTenant(context) ?? "none";
                switch (operation)
                {
                    case RequestOperation.Enroll: telemetry.RecordEnroll(elapsed, tenant); break;
                    case RequestOperation.Search: telemetry.RecordSearch(elapsed, tenant); break;
                    default: telemetry.RecordVerify(elapsed, tenant); break;
                }
            }
        });

    public static IEndpointRouteBuilder MapGalleryTelemetry(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<TelemetrySettings>();
        app.MapPrometheusScrapingEndpoint(settings.MetricsPath);
        return app;
    }

    private static bool IsScrapeOrProbe(PathString path, TelemetrySettings settings) =>
        path.StartsWithSegments(settings.MetricsPath) || path.StartsWithSegments("/health");
}
