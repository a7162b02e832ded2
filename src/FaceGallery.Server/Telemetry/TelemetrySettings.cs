namespace FaceGallery.Server.Telemetry;

/// <summary>Section "FaceGallery:Telemetry".</summary>
public sealed class TelemetrySettings
{
    public const string SectionName = "FaceGallery:Telemetry";

    /// <summary>OTLP collector address (e.g. http://127.0.0.1:4317); traces, metrics and logs go there when set.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>grpc (default) or http/protobuf.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>One JSON object per log line, with scopes and the trace and span ids.</summary>
    public bool JsonConsoleLogs { get; set; }

    /// <summary>Path of the Prometheus text endpoint.</summary>
    public string MetricsPath { get; set; } = "/metrics";

    /// <summary>How often the identities of each tenant are counted for facegallery_gallery_identities.</summary>
    public TimeSpan GallerySizeInterval { get; set; } = TimeSpan.FromSeconds(60);
}
