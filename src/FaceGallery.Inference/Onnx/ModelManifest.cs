using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaceGallery.Inference.Onnx;

/// <summary>
/// The `manifest.json` beside each ONNX file: what the graph expects and returns, where it came from,
/// and the hash that pins the exact bytes. The models folder's tooling writes it; nothing else does.
/// </summary>
public sealed record ModelManifest
{
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public required string Name { get; init; }

    /// <summary>ONNX file name, relative to the manifest's folder.</summary>
    public required string File { get; init; }

    /// <summary>Lower-case hex SHA-256 of <see cref="File"/>.</summary>
    public required string Sha256 { get; init; }

    /// <summary>SPDX identifier of the weights' licence.</summary>
    public required string Licence { get; init; }

    public ModelSource? Source { get; init; }

    public required ModelTensor Input { get; init; }

    public required ModelTensor Output { get; init; }

    /// <summary>Present for models whose output is a face descriptor.</summary>
    public EmbeddingSpace? Embedding { get; init; }

    /// <summary>Anything a model's tooling records beyond the common members.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>Folder the manifest was read from; not part of the JSON.</summary>
    [JsonIgnore]
    public string Directory { get; init; } = "";

    [JsonIgnore]
    public string ModelPath => Path.Combine(Directory, File);

    public static ModelManifest Load(string manifestPath)
    {
        using var stream = System.IO.File.OpenRead(manifestPath);
        var manifest = JsonSerializer.Deserialize<ModelManifest>(stream, JsonOptions)
            ?? throw new InvalidDataException($"{manifestPath} is empty.");
        return manifest with { Directory = Path.GetDirectoryName(Path.GetFullPath(manifestPath))! };
    }
}

/// <summary>The upstream artefact the ONNX file was converted from.</summary>
public sealed record ModelSource(string Package, string Version, string? Component, string? File, string? Sha256);

/// <summary>
/// One graph input or output. <see cref="Shape"/> uses -1 for dynamic axes (the batch).
/// </summary>
public sealed record ModelTensor(
    string Name,
    IReadOnlyList<int> Shape,
    string? Layout = null,
    string? ColorOrder = null,
    IReadOnlyList<float>? Range = null,
    TensorNormalisation? Normalisation = null);

/// <summary>
/// Pixel normalisation: <c>(x - Mean[c]) * Scale</c>. <see cref="InGraph"/> says the graph already applies
/// it, so callers feed raw values in <see cref="ModelTensor.Range"/>.
/// </summary>
public sealed record TensorNormalisation(bool InGraph, IReadOnlyList<float> Mean, float Scale);

/// <summary>
/// The descriptor space a face model maps into, with the distance its authors publish for "same person".
/// </summary>
public sealed record EmbeddingSpace(int Dimension, string Distance, float Threshold, string? ThresholdSource);
