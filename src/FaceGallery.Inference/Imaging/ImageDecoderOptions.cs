namespace FaceGallery.Inference.Imaging;

/// <summary>
/// Limits that keep a hostile upload from exhausting memory; both are checked before any pixel is
/// decoded. Bound from the configuration section <see cref="SectionName"/>.
/// </summary>
public sealed class ImageDecoderOptions
{
    public const string SectionName = "FaceGallery:Images";

    /// <summary>Largest accepted encoded file, in bytes (default 20 MiB).</summary>
    public long MaxEncodedBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// Largest accepted width × height as declared by the file header (default 50 megapixels,
    /// which decodes into 150 MB of RGB plus a transient 200 MB RGBA buffer).
    /// </summary>
    public long MaxPixels { get; set; } = 50_000_000;
}
