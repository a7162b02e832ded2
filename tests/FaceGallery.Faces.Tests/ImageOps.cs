using FaceGallery.Inference.Imaging;
using SkiaSharp;

namespace FaceGallery.Faces.Tests;

/// <summary>Degrades images with Skia (Gaussian blur, downscaling) for quality tests.</summary>
internal static class ImageOps
{
    public static RgbImage Blur(RgbImage image, float sigma)
    {
        using var source = SkiaImages.ToSkImage(image);
        using var target = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(target))
        using (var paint = new SKPaint { ImageFilter = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp) })
        {
            canvas.DrawImage(source, 0, 0, new SKSamplingOptions(SKFilterMode.Linear), paint);
        }

        return SkiaImages.FromSkBitmap(target);
    }

    public static RgbImage Resize(RgbImage image, double factor)
    {
        var width = Math.Max(1, (int)Math.Round(image.Width * factor));
        var height = Math.Max(1, (int)Math.Round(image.Height * factor));
        using var source = SkiaImages.ToSkImage(image);
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(target))
        {
            canvas.DrawImage(source, SKRect.Create(width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }

        return SkiaImages.FromSkBitmap(target);
    }
}
