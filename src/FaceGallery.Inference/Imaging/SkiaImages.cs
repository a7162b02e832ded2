using SkiaSharp;

namespace FaceGallery.Inference.Imaging;

/// <summary>The one conversion between <see cref="RgbImage"/> and Skia's opaque RGBA, for code that resamples or encodes with Skia.</summary>
public static class SkiaImages
{
    private static SKImageInfo Info(int width, int height) => new(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);

    public static SKImage ToSkImage(RgbImage image) => SKImage.FromPixelCopy(Info(image.Width, image.Height), ToRgba(image));

    public static SKBitmap ToSkBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(Info(image.Width, image.Height));
        ToRgba(image).CopyTo(bitmap.GetPixelSpan());
        return bitmap;
    }

    /// <summary>Any Skia bitmap back to RGB (alpha composited over white, as decoding does).</summary>
    public static RgbImage FromSkBitmap(SKBitmap bitmap)
    {
        using var converted = bitmap.ColorType == SKColorType.Rgba8888 ? null : bitmap.Copy(SKColorType.Rgba8888);
        var source = converted ?? bitmap;
        return Orientation.Apply(source.GetPixelSpan(), source.Width, source.Height, SKEncodedOrigin.TopLeft);
    }

    private static byte[] ToRgba(RgbImage image)
    {
        var rgb = image.Pixels;
        var rgba = new byte[image.Width * image.Height * 4];
        for (int s = 0, d = 0; s < rgb.Length; s += 3, d += 4)
        {
            rgba[d] = rgb[s];
            rgba[d + 1] = rgb[s + 1];
            rgba[d + 2] = rgb[s + 2];
            rgba[d + 3] = 255;
        }

        return rgba;
    }
}
