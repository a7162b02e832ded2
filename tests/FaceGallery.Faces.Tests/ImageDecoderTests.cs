using FaceGallery.Contracts;
using FaceGallery.Inference.Imaging;
using SkiaSharp;

namespace FaceGallery.Faces.Tests;

public sealed class ImageDecoderTests
{
    private readonly ImageDecoder _decoder = new();

    public static TheoryData<ushort, int, int, SKColor, SKColor, SKColor, SKColor> Orientations => new()
    {
        // EXIF orientation, upright width × height, then the colours of its four quadrants TL, TR, BL, BR.
        { 1, 64, 32, TestImages.Red, TestImages.Green, TestImages.Blue, TestImages.White },
        { 2, 64, 32, TestImages.Green, TestImages.Red, TestImages.White, TestImages.Blue },
        { 3, 64, 32, TestImages.White, TestImages.Blue, TestImages.Green, TestImages.Red },
        { 4, 64, 32, TestImages.Blue, TestImages.White, TestImages.Red, TestImages.Green },
        { 5, 32, 64, TestImages.Red, TestImages.Blue, TestImages.Green, TestImages.White },
        { 6, 32, 64, TestImages.Blue, TestImages.Red, TestImages.White, TestImages.Green },
        { 7, 32, 64, TestImages.White, TestImages.Green, TestImages.Blue, TestImages.Red },
        { 8, 32, 64, TestImages.Green, TestImages.White, TestImages.Red, TestImages.Blue },
    };

    [Theory]
    [MemberData(nameof(Orientations))]
    public void Exif_orientation_is_applied(ushort orientation, int width, int height, SKColor tl, SKColor tr, SKColor bl, SKColor br)
    {
        var image = _decoder.Decode(TestImages.WithExifOrientation(TestImages.QuadrantJpeg(), orientation));

        Assert.Equal((width, height), (image.Width, image.Height));
        AssertColor(tl, image, width / 4, height / 4);
        AssertColor(tr, image, 3 * width / 4, height / 4);
        AssertColor(bl, image, width / 4, 3 * height / 4);
        AssertColor(br, image, 3 * width / 4, 3 * height / 4);
    }

    [Fact]
    public void Grayscale_jpeg_decodes_to_equal_rgb_channels()
    {
        using var gray = new SKBitmap(new SKImageInfo(40, 30, SKColorType.Gray8, SKAlphaType.Opaque));
        for (var y = 0; y < 30; y++)
        {
            for (var x = 0; x < 40; x++)
            {
                gray.SetPixel(x, y, new SKColor((byte)(x * 6), (byte)(x * 6), (byte)(x * 6)));
            }
        }

        var jpeg = TestImages.Encode(gray, SKEncodedImageFormat.Jpeg);
        using (var codec = SKCodec.Create(new MemoryStream(jpeg)))
        {
            Assert.Equal(SKColorType.Gray8, codec.Info.ColorType); // really a one-channel JPEG
        }

        var image = _decoder.Decode(jpeg);

        Assert.Equal((40, 30), (image.Width, image.Height));
        for (var i = 0; i < image.Pixels.Length; i += 3)
        {
            Assert.Equal(image.Pixels[i], image.Pixels[i + 1]);
            Assert.Equal(image.Pixels[i], image.Pixels[i + 2]);
        }

        Assert.True(image.Pixels[(15 * 40 + 35) * 3] > image.Pixels[(15 * 40 + 5) * 3] + 100);
    }

    [Fact]
    public void Cmyk_jpeg_decodes_to_the_expected_rgb()
    {
        // tests/data/images/cmyk.jpg comes from make-cmyk.py (Adobe-inverted CMYK as Photoshop writes it).
        var image = _decoder.Decode(File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "tests", "data", "images", "cmyk.jpg")));

        Assert.Equal((64, 64), (image.Width, image.Height));
        AssertColor(new SKColor(0, 255, 255), image, 16, 16);
        AssertColor(new SKColor(255, 0, 255), image, 48, 16);
        AssertColor(new SKColor(255, 255, 0), image, 16, 48);
        AssertColor(new SKColor(127, 127, 127), image, 48, 48);
    }

    [Fact]
    public void Png_alpha_is_composited_over_white()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(3, 1, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        bitmap.SetPixel(0, 0, new SKColor(200, 10, 20, 255));
        bitmap.SetPixel(1, 0, new SKColor(0, 0, 255, 0));
        bitmap.SetPixel(2, 0, new SKColor(0, 0, 0, 128));

        var image = _decoder.Decode(TestImages.Encode(bitmap, SKEncodedImageFormat.Png));

        Assert.Equal(new byte[] { 200, 10, 20, 255, 255, 255, 127, 127, 127 }, image.Pixels);
    }

    [Fact]
    public void Webp_decodes()
    {
        var jpeg = _decoder.Decode(TestImages.QuadrantJpeg());
        using var bitmap = new SKBitmap(jpeg.Width, jpeg.Height);
        for (var y = 0; y < jpeg.Height; y++)
        {
            for (var x = 0; x < jpeg.Width; x++)
            {
                var i = (y * jpeg.Width + x) * 3;
                bitmap.SetPixel(x, y, new SKColor(jpeg.Pixels[i], jpeg.Pixels[i + 1], jpeg.Pixels[i + 2]));
            }
        }

        var image = _decoder.Decode(TestImages.Encode(bitmap, SKEncodedImageFormat.Webp, 90));

        Assert.Equal((64, 32), (image.Width, image.Height));
        AssertColor(TestImages.Green, image, 48, 8);
    }

    [Fact]
    public void Truncated_jpeg_is_an_invalid_image()
    {
        var photo = File.ReadAllBytes(Path.Combine(TestPaths.DlibPhotos, "2008_001009.jpg"));

        var error = Assert.Throws<GalleryException>(() => _decoder.Decode(photo.AsSpan(0, photo.Length / 2)));

        Assert.Equal(ErrorCodes.InvalidImage, error.Code);
    }

    [Fact]
    public void Progressive_jpeg_cut_after_its_first_scans_is_an_invalid_image_though_skia_would_decode_it()
    {
        // Tom_Cruise_avp_2014_4.jpg is progressive: its first half holds complete coarse scans.
        var photo = File.ReadAllBytes(Path.Combine(TestPaths.DlibPhotos, "Tom_Cruise_avp_2014_4.jpg"));
        Assert.Equal([0xFF, 0xC2], photo[742..744]); // SOF2: progressive
        var half = photo.AsSpan(0, photo.Length / 2).ToArray();

        var error = Assert.Throws<GalleryException>(() => _decoder.Decode(half));

        Assert.Equal(ErrorCodes.InvalidImage, error.Code);
        Assert.True(_decoder.Decode(photo).Width > 0, "the whole file decodes");
    }

    [Fact]
    public void Png_header_claiming_30000_by_30000_is_refused_before_allocating_pixels()
    {
        var png = TestImages.PngHeaderOnly(30000, 30000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<GalleryException>(() => _decoder.Decode(png));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(ErrorCodes.ImageTooLarge, error.Code);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Oversized_file_is_refused_before_it_is_parsed()
    {
        var decoder = new ImageDecoder(new ImageDecoderOptions { MaxEncodedBytes = 1000 });

        var error = Assert.Throws<GalleryException>(() => decoder.Decode([.. TestImages.QuadrantJpeg(), .. new byte[1000]]));

        Assert.Equal(ErrorCodes.ImageTooLarge, error.Code);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_bytes_are_unsupported_or_invalid(int seed)
    {
        var bytes = new byte[4096];
        new Random(seed).NextBytes(bytes);

        var error = Assert.Throws<GalleryException>(() => _decoder.Decode(bytes));

        Assert.Contains(error.Code, new[] { ErrorCodes.UnsupportedMedia, ErrorCodes.InvalidImage });
    }

    [Fact]
    public void Jpeg_cut_inside_its_header_is_an_invalid_image()
    {
        var photo = File.ReadAllBytes(Path.Combine(TestPaths.DlibPhotos, "2008_001009.jpg"));

        var error = Assert.Throws<GalleryException>(() => _decoder.Decode(photo.AsSpan(0, 100)));

        Assert.Equal(ErrorCodes.InvalidImage, error.Code);
    }

    [Fact]
    public void Short_text_is_unsupported_media()
    {
        var error = Assert.Throws<GalleryException>(() => _decoder.Decode("not an image"u8));

        Assert.Equal(ErrorCodes.UnsupportedMedia, error.Code);
    }

    [Fact]
    public void Empty_input_is_unsupported_media()
    {
        var error = Assert.Throws<GalleryException>(() => _decoder.Decode([]));

        Assert.Equal(ErrorCodes.UnsupportedMedia, error.Code);
    }

    private static void AssertColor(SKColor expected, RgbImage image, int x, int y)
    {
        var i = (y * image.Width + x) * 3;
        var actual = (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]);
        var close = Math.Abs(actual.Item1 - expected.Red) <= 40 && Math.Abs(actual.Item2 - expected.Green) <= 40 && Math.Abs(actual.Item3 - expected.Blue) <= 40;
        Assert.True(close, $"pixel ({x},{y}) is {actual}, expected about {expected}");
    }
}
