using FaceGallery.Inference.Imaging;
using SkiaSharp;

namespace FaceGallery.Faces.Tests;

/// <summary>Degrades images with Skia (Gaussian blur, downscaling) for quality tests.</summary>
internal static class ImageOps
{
    public static RgbImage Blur(RgbImage image, float sigma)
    {
        using var source = ToSkImage(image);
        using var target = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(target))
        using (var paint = new SKPaint { ImageFilter = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp) })
        {
            canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), paint);
        }

        return FromBitmap(target);
    }

    public static RgbImage Resize(RgbImage image, double factor)
    {
        var width = Math.Max(1, (int)Math.Round(image.Width * factor));
        var height = Math.Max(1, (int)Math.Round(image.Height * factor));
        using var source = ToSkImage(image);
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(target))
        {
            canvas.DrawImage(source, SKRect.Create(width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }

        return FromBitmap(target);
    }

    private static SKImage ToSkImage(RgbImage image)
    {
        var rgba = new byte[image.Width * image.Height * 4];
        for (int s = 0, d = 0; s < image.Pixels.Length; s += 3, d += 4)
        {
            rgba[d] = image.Pixels[s];
            rgba[d + 1] = image.Pixels[s + 1];
            rgba[d + 2] = image.Pixels[s + 2];
            rgba[d + 3] = 255;
        }

        return SKImage.FromPixelCopy(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba);
    }

    private static RgbImage FromBitmap(SKBitmap bitmap)
    {
        var rgba = bitmap.GetPixelSpan();
        var image = new RgbImage(bitmap.Width, bitmap.Height);
        for (int s = 0, d = 0; d < image.Pixels.Length; s += 4, d += 3)
        {
            image.Pixels[d] = rgba[s];
            image.Pixels[d + 1] = rgba[s + 1];
            image.Pixels[d + 2] = rgba[s + 2];
        }

        return image;
    }
}
