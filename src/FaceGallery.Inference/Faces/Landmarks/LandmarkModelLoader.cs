using System.Security.Cryptography;
using System.Text.Json;

namespace FaceGallery.Inference.Faces.Landmarks;

/// <summary>
/// Loads a dlib shape predictor from `models/&lt;name&gt;/`: its manifest names the file and pins its SHA-256.
/// </summary>
public static class LandmarkModelLoader
{
    public static ShapePredictorModel Load(string modelsDirectory, string name)
    {
        var folder = Path.Combine(modelsDirectory, name);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var file = manifest.RootElement.GetProperty("file").GetString()
            ?? throw new InvalidDataException($"{name}/manifest.json names no file.");
        var expected = manifest.RootElement.GetProperty("sha256").GetString();
        var bytes = File.ReadAllBytes(Path.Combine(folder, file));
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{name}/{file} has SHA-256 {actual}, but its manifest pins {expected}.");
        }

        return ShapePredictorModel.Load(bytes);
    }
}
