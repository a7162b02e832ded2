namespace FaceGallery.Inference.Imaging;

/// <summary>
/// An 8-bit RGB image, rows top to bottom, pixels interleaved R, G, B with no padding between rows.
/// The face pipeline's common currency: decoders produce it, detectors and aligners read it.
/// </summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height)
        : this(width, height, new byte[checked(width * height * 3)])
    {
    }

    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != checked(width * height * 3))
        {
            throw new ArgumentException($"expected {width * height * 3} bytes for {width}x{height} RGB, got {pixels.Length}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Interleaved RGB bytes; row <c>y</c> starts at <c>y * Stride</c>.</summary>
    public byte[] Pixels { get; }

    public int Stride => Width * 3;

    public Span<byte> Row(int y) => Pixels.AsSpan(y * Stride, Stride);

    /// <summary>dlib's grey level of a pixel: the truncated mean of R, G and B.</summary>
    public int Intensity(int x, int y)
    {
        var i = (y * Width + x) * 3;
        return (Pixels[i] + Pixels[i + 1] + Pixels[i + 2]) / 3;
    }

    public bool Contains(long x, long y) => x >= 0 && y >= 0 && x < Width && y < Height;
}
