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
}
