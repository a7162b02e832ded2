using FaceGallery.Testing;
using SkiaSharp;

namespace FaceGallery.Api.Tests;

/// <summary>Real photos and chips from dlib's examples (tests/data/dlib), and made-up images without faces.</summary>
public static class FaceImages
{
    public static string DataDirectory => Path.Combine(RepoPaths.Root, "tests", "data", "dlib");

    /// <summary>dlib's examples/johns: 5 people × 11 aligned 150×150 chips, files in name order.</summary>
    public static IReadOnlyList<(string Person, IReadOnlyList<string> Files)> Johns() =>
        Directory.GetDirectories(Path.Combine(DataDirectory, "johns"))
            .Order(StringComparer.Ordinal)
            .Select(d => (Path.GetFileName(d), (IReadOnlyList<string>)Directory.GetFiles(d).Order(StringComparer.Ordinal).ToArray()))
            .ToArray();

    public static string Photo(string name) => Path.Combine(DataDirectory, "photos", name);

    /// <summary>A flat grey PNG: decodes fine, shows no face.</summary>
    public static byte[] Blank(int width = 320, int height = 240)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(128, 128, 128));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
