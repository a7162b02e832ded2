using FaceGallery.Inference.Faces;
using SkiaSharp;

namespace FaceGallery.Benchmarks;

/// <summary>dlib's examples/johns chips, the same ones dlib's own C++ is timed on.</summary>
internal static class JohnsChips
{
    public static AlignedFaceChip[] Load(int count)
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "data", "dlib", "johns"), "*.jpg", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToArray();
        return Enumerable.Range(0, count).Select(i => Decode(files[i % files.Length])).ToArray();
    }

    private static AlignedFaceChip Decode(string path)
    {
        using var bitmap = SKBitmap.Decode(path).Copy(SKColorType.Rgba8888);
        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[AlignedFaceChip.ByteLength];
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            rgb[j] = rgba[i];
            rgb[j + 1] = rgba[i + 1];
            rgb[j + 2] = rgba[i + 2];
        }

        return new AlignedFaceChip(rgb);
    }
}
