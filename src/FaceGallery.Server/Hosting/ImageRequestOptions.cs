using System.ComponentModel.DataAnnotations;

namespace FaceGallery.Server.Hosting;

/// <summary>
/// Limits and start-up behaviour of image requests (section "FaceGallery:Images", shared with the
/// decoder's own limits: MaxEncodedBytes, MaxPixels).
/// </summary>
public sealed class ImageRequestOptions
{
    public const string SectionName = "FaceGallery:Images";

    /// <summary>Most images one enrollment, search or verify request may carry.</summary>
    [Range(1, 1000)]
    public int MaxImagesPerRequest { get; set; } = 32;

    /// <summary>Load and warm the face models at start-up; /health/ready waits for them.</summary>
    public bool WarmUpModels { get; set; } = true;
}
