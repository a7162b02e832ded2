using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaceGallery.Faces.Tests;

/// <summary>tests/data/dlib-faces/reference.json, written by models/dlib-reference/dlib_reference.cpp.</summary>
internal sealed record DlibReference(
    [property: JsonPropertyName("chipSize")] int ChipSize,
    [property: JsonPropertyName("chipPadding")] double ChipPadding,
    [property: JsonPropertyName("photos")] IReadOnlyList<DlibPhoto> Photos)
{
    public static DlibReference Load() =>
        JsonSerializer.Deserialize<DlibReference>(File.ReadAllText(Path.Combine(TestPaths.DlibFaces, "reference.json")))
        ?? throw new InvalidDataException("empty reference.json");
}

internal sealed record DlibPhoto(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("rgbFnv1a")] string RgbFnv1a,
    [property: JsonPropertyName("faces")] IReadOnlyList<DlibFace> Faces)
{
    public string Path => System.IO.Path.Combine(TestPaths.DlibPhotos, File);
}

internal sealed record DlibFace(
    [property: JsonPropertyName("box")] long[] Box,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("landmarks")] long[][] Landmarks,
    [property: JsonPropertyName("chipRect")] double[] ChipRect,
    [property: JsonPropertyName("chipAngle")] double ChipAngle,
    [property: JsonPropertyName("chip")] string Chip)
{
    public string ChipPath => Path.Combine(TestPaths.DlibFaces, "chips", Chip);
}
