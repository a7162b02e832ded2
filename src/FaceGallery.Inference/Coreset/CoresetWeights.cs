using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FaceGallery.Inference.Coreset;

/// <summary>
/// The raw FaceCoresetNet parameters that `models/facecoresetnet/export.py` writes beside the ONNX file:
/// `weights.json` (settings and an index of tensor name → offset, shape) and `weights.bin` (little-endian
/// float32, back to back). Read by <see cref="FaceCoresetNetReference"/> only.
/// </summary>
public sealed class CoresetWeights
{
    public const string IndexFileName = "weights.json";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, (int Offset, int[] Shape)> tensors;
    private readonly float[] values;

    private CoresetWeights(WeightsIndex index, float[] values)
    {
        Index = index;
        this.values = values;
        tensors = index.Tensors.ToDictionary(t => t.Key, t => (t.Value.Offset, t.Value.Shape), StringComparer.Ordinal);
    }

    public WeightsIndex Index { get; }

    public static CoresetWeights Load(string modelDirectory)
    {
        var indexPath = Path.Combine(modelDirectory, IndexFileName);
        WeightsIndex index;
        using (var stream = File.OpenRead(indexPath))
        {
            index = JsonSerializer.Deserialize<WeightsIndex>(stream, JsonOptions)
                ?? throw new InvalidDataException($"{indexPath} is empty.");
        }

        var bytes = File.ReadAllBytes(Path.Combine(modelDirectory, index.File));
        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, index.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{index.File} has SHA-256 {actual}, but {IndexFileName} pins {index.Sha256}.");
        }

        var floats = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float), sizeof(float)));
        }

        return new CoresetWeights(index, floats);
    }

    /// <summary>A tensor's values widened to double, checked against the expected shape.</summary>
    public double[] Get(string name, params int[] shape)
    {
        if (!tensors.TryGetValue(name, out var tensor))
        {
            throw new InvalidDataException($"{IndexFileName} has no tensor '{name}'.");
        }

        if (!tensor.Shape.SequenceEqual(shape))
        {
            throw new InvalidDataException(
                $"Tensor '{name}' has shape [{string.Join(", ", tensor.Shape)}], expected [{string.Join(", ", shape)}].");
        }

        var length = shape.Aggregate(1, (a, b) => a * b);
        return values.AsSpan(tensor.Offset, length).ToArray().Select(v => (double)v).ToArray();
    }
}

/// <summary>`weights.json`: the model's settings and where each tensor lies in `weights.bin`.</summary>
public sealed record WeightsIndex
{
    public required string Model { get; init; }

    public required string File { get; init; }

    public required string Sha256 { get; init; }

    public required int Dimension { get; init; }

    public required int Heads { get; init; }

    public required int CoresetSize { get; init; }

    public required bool SingleFacePassthrough { get; init; }

    public required double LayerNormEpsilon { get; init; }

    public required double QualityFloor { get; init; }

    public required double MaskedLogit { get; init; }

    public required double NormEpsilon { get; init; }

    public required Dictionary<string, TensorEntry> Tensors { get; init; }
}

public sealed record TensorEntry([property: JsonPropertyName("offset")] int Offset, [property: JsonPropertyName("shape")] int[] Shape);
