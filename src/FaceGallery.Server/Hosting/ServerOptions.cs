using System.ComponentModel.DataAnnotations;

namespace FaceGallery.Server.Hosting;

/// <summary>Process-level settings of the HTTP host (section "FaceGallery").</summary>
public sealed class ServerOptions
{
    public const string SectionName = "FaceGallery";

    /// <summary>Folder of the embedded store when no connection string is configured.</summary>
    [Required]
    public string DataPath { get; set; } = "data";

    /// <summary>Largest request body accepted, in bytes; larger ones get 413 payload_too_large.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>cuda, cpu or auto: the execution provider to try and the accelerator this silo advertises.</summary>
    [RegularExpression("^(cuda|cpu|auto)$")]
    public string Accelerator { get; set; } = "auto";

    /// <summary>
    /// Seconds between SIGTERM and closing the HTTP listener, during which /health/ready answers 503 and
    /// requests are still served, so a load balancer watching readiness stops sending first. 0 = close at once.
    /// Set it to the balancer's probe interval plus a margin.
    /// </summary>
    [Range(0, 300)]
    public double DrainSeconds { get; set; }
}
