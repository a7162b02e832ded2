using FaceGallery.Contracts;
using SkiaSharp;

namespace FaceGallery.Inference.Imaging;

/// <summary>
/// Turns an uploaded file (JPEG, PNG, WebP, GIF, BMP … whatever Skia decodes) into an upright
/// <see cref="RgbImage"/>. Size limits are enforced from the header before pixels are allocated,
/// the EXIF orientation is applied, grayscale and CMYK JPEGs come out as RGB, and transparency is
/// composited over white. No colour management: pixels are taken as stored, as dlib's loader does,
/// so alignment matches the reference pipeline bit for bit.
/// </summary>
public sealed class ImageDecoder(ImageDecoderOptions options)
{
    public ImageDecoder()
        : this(new ImageDecoderOptions())
    {
    }

    public RgbImage Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length > options.MaxEncodedBytes)
        {
            throw new GalleryException(ErrorCodes.ImageTooLarge,
                $"the image file has {encoded.Length} bytes; at most {options.MaxEncodedBytes} are accepted");
        }

        if (encoded.IsEmpty)
        {
            throw new GalleryException(ErrorCodes.UnsupportedMedia, "the image file is empty");
        }

        using var data = SKData.CreateCopy(encoded);
        // The codec owns the stream from here on (and Skia deletes it when opening fails).
        using var codec = SKCodec.Create(new SKMemoryStream(data), out var openResult);
        if (codec is null)
        {
            // Skia answers IncompleteInput both for a cut-off header and for input too short to sniff.
            var recognised = openResult != SKCodecResult.Unimplemented
                && (openResult != SKCodecResult.IncompleteInput || HasImageSignature(encoded));
            throw recognised
                ? new GalleryException(ErrorCodes.InvalidImage, $"the image header could not be read ({openResult})")
                : new GalleryException(ErrorCodes.UnsupportedMedia, "the file is not an image format this service decodes");
        }

        if (IsTruncatedJpeg(encoded))
        {
            throw new GalleryException(ErrorCodes.InvalidImage, "the JPEG file ends inside its image data (truncated)");
        }

        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new GalleryException(ErrorCodes.InvalidImage, "the image declares no pixels");
        }

        var pixelCount = (long)info.Width * info.Height;
        if (pixelCount > options.MaxPixels)
        {
            throw new GalleryException(ErrorCodes.ImageTooLarge,
                $"the image is {info.Width}x{info.Height} ({pixelCount} pixels); at most {options.MaxPixels} are accepted");
        }

        // Unpremultiplied RGBA without a colour space: Skia converts grey and CMYK for us but
        // applies no ICC transform.
        var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(target);
        var decodeResult = codec.GetPixels(target, bitmap.GetPixels());
        if (decodeResult != SKCodecResult.Success)
        {
            throw new GalleryException(ErrorCodes.InvalidImage, $"the image data is damaged or truncated ({decodeResult})");
        }

        return Orientation.Apply(bitmap.GetPixelSpan(), info.Width, info.Height, codec.EncodedOrigin);
    }

    /// <summary>
    /// True for a JPEG whose last scan is not followed by an end-of-image marker. Skia decodes a
    /// progressive JPEG cut after its first scans without complaint (a blurrier but complete picture),
    /// so a truncated upload would otherwise be enrolled as a degraded face. Entropy-coded data never
    /// holds FF DA or FF D9 (an FF byte there is always stuffed), so the last FF DA is the last scan.
    /// </summary>
    private static bool IsTruncatedJpeg(ReadOnlySpan<byte> data)
    {
        if (!data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return false;
        }

        var lastScan = data.LastIndexOf((ReadOnlySpan<byte>)[0xFF, 0xDA]);
        return lastScan >= 0 && data[lastScan..].IndexOf((ReadOnlySpan<byte>)[0xFF, 0xD9]) < 0;
    }

    private static bool HasImageSignature(ReadOnlySpan<byte> data) =>
        data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) // JPEG
        || data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']) // PNG
        || data.StartsWith("GIF8"u8)
        || (data.StartsWith("RIFF"u8) && data.Length >= 12 && data[8..12].SequenceEqual("WEBP"u8))
        || data.StartsWith("BM"u8)
        || data.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x01, 0x00]); // ICO
}
