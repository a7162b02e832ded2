using SkiaSharp;

namespace FaceGallery.Inference.Imaging;

/// <summary>
/// Converts decoded RGBA into an upright RGB image: EXIF orientation applied, alpha composited over
/// white (a transparent background is most often meant to be paper-white, and faces are opaque).
/// </summary>
internal static class Orientation
{
    public static RgbImage Apply(ReadOnlySpan<byte> rgba, int width, int height, SKEncodedOrigin origin)
    {
        var swapsAxes = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop
            or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var outWidth = swapsAxes ? height : width;
        var outHeight = swapsAxes ? width : height;
        var output = new RgbImage(outWidth, outHeight);
        var dst = output.Pixels;
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default)
        {
            CopyUpright(rgba, dst);
            return output;
        }

        var o = 0;
        for (var y = 0; y < outHeight; y++)
        {
            for (var x = 0; x < outWidth; x++)
            {
                var (sx, sy) = Source(origin, x, y, width, height);
                var s = (sy * width + sx) * 4;
                var alpha = rgba[s + 3];
                if (alpha == 255)
                {
                    dst[o] = rgba[s];
                    dst[o + 1] = rgba[s + 1];
                    dst[o + 2] = rgba[s + 2];
                }
                else
                {
                    dst[o] = OverWhite(rgba[s], alpha);
                    dst[o + 1] = OverWhite(rgba[s + 1], alpha);
                    dst[o + 2] = OverWhite(rgba[s + 2], alpha);
                }

                o += 3;
            }
        }

        return output;
    }

    private static void CopyUpright(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        for (int s = 0, d = 0; d < rgb.Length; s += 4, d += 3)
        {
            var alpha = rgba[s + 3];
            if (alpha == 255)
            {
                rgb[d] = rgba[s];
                rgb[d + 1] = rgba[s + 1];
                rgb[d + 2] = rgba[s + 2];
            }
            else
            {
                rgb[d] = OverWhite(rgba[s], alpha);
                rgb[d + 1] = OverWhite(rgba[s + 1], alpha);
                rgb[d + 2] = OverWhite(rgba[s + 2], alpha);
            }
        }
    }

    // Maps a pixel of the upright output back to the stored image (EXIF tag 0x0112 semantics).
    private static (int X, int Y) Source(SKEncodedOrigin origin, int x, int y, int width, int height) => origin switch
    {
        SKEncodedOrigin.TopRight => (width - 1 - x, y),
        SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y),
        SKEncodedOrigin.BottomLeft => (x, height - 1 - y),
        SKEncodedOrigin.LeftTop => (y, x),
        SKEncodedOrigin.RightTop => (y, height - 1 - x),
        SKEncodedOrigin.RightBottom => (width - 1 - y, height - 1 - x),
        SKEncodedOrigin.LeftBottom => (width - 1 - y, x),
        _ => (x, y),
    };

    private static byte OverWhite(byte channel, byte alpha) =>
        (byte)((channel * alpha + 255 * (255 - alpha) + 127) / 255);
}
