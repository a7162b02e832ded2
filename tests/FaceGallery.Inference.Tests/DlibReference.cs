using System.Text.Json;
using SkiaSharp;

namespace FaceGallery.Inference.Tests;

/// <summary>dlib's own outputs, written by models/dlib-resnet-v1/make-reference-data.sh.</summary>
internal static class DlibReference
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Root => Path.Combine(AppContext.BaseDirectory, "data", "dlib");

    public static IReadOnlyList<ReferenceChip> Johns() =>
        Read<JohnsFile>("johns.json").Chips.Select(c => new ReferenceChip(c.File, c.Person, c.Descriptor)).ToArray();

    public static IReadOnlyList<ReferencePhoto> Photos() => Read<FacesFile>("faces.json").Photos;

    /// <summary>Every chip dlib cut from the example photos, with the photo's name as its label.</summary>
    public static IReadOnlyList<ReferenceChip> PhotoChips() =>
        Photos().SelectMany(p => p.Faces.Select(f => new ReferenceChip(f.Chip, p.File, f.Descriptor))).ToArray();

    /// <summary>Decodes a chip into the interleaved RGB bytes the embedder takes.</summary>
    public static byte[] LoadRgb(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        using var codec = SKCodec.Create(path) ?? throw new InvalidDataException($"Cannot decode {path}");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new InvalidDataException($"Decoding {path}: {result}");
        }

        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[info.Width * info.Height * 3];
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            rgb[j] = rgba[i];
            rgb[j + 1] = rgba[i + 1];
            rgb[j + 2] = rgba[i + 2];
        }

        return rgb;
    }

    private static T Read<T>(string name)
    {
        using var stream = File.OpenRead(Path.Combine(Root, name));
        return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new InvalidDataException($"{name} is empty");
    }

    private sealed record JohnsFile(IReadOnlyList<JohnsChip> Chips);

    private sealed record JohnsChip(string File, string Person, float[] Descriptor);

    private sealed record FacesFile(IReadOnlyList<ReferencePhoto> Photos);
}

internal sealed record ReferenceChip(string File, string Label, float[] Descriptor);

internal sealed record ReferencePhoto(string File, int Width, int Height, IReadOnlyList<ReferenceFace> Faces);

internal sealed record ReferenceFace(ReferenceBox Box, float Score, int[][] Landmarks, string Chip, float[] Descriptor);

internal sealed record ReferenceBox(int Left, int Top, int Right, int Bottom);
