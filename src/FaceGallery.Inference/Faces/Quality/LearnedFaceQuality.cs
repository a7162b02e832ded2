using FaceGallery.Inference.Imaging;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace FaceGallery.Inference.Faces.Quality;

/// <summary>
/// Learned quality for dlib descriptors (whose norm says nothing about quality): a small MLP on the unit
/// embedding and the chip's <see cref="ChipCues"/>, trained to predict how similar the face's embedding stays
/// to the embedding of a clean capture of the same face (models/quality-dlib128-v1, docs/quality.md).
/// Output in [0, 1], 1 = best. Thread-safe; shares the process's session for the model.
/// </summary>
public sealed class LearnedFaceQuality
{
    public const string EmbeddingInput = "embedding";
    public const string CuesInput = "cues";
    public const string QualityOutput = "quality";

    private static readonly string[] InputNames = [EmbeddingInput, CuesInput];
    private static readonly string[] OutputNames = [QualityOutput];

    private readonly ModelSession model;

    public LearnedFaceQuality(OnnxSessionFactory sessions, IOptions<FaceQualityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(options);
        model = sessions.GetSession(new OnnxModelOptions(options.Value.Model));
        var dims = model.Session.InputMetadata.TryGetValue(EmbeddingInput, out var embedding)
            ? embedding.Dimensions
            : throw new InvalidDataException($"Model {model.Manifest.Name} has no input '{EmbeddingInput}'.");
        Dimension = dims.Length == 2 && dims[1] > 0 ? dims[1] : throw new InvalidDataException($"Model {model.Manifest.Name}: '{EmbeddingInput}' must be N×D.");
        if (!model.Session.InputMetadata.ContainsKey(CuesInput) || !model.Session.OutputMetadata.ContainsKey(QualityOutput))
        {
            throw new InvalidDataException($"Model {model.Manifest.Name} needs input '{CuesInput}' and output '{QualityOutput}'.");
        }
    }

    public int Dimension { get; }

    public ModelManifest Manifest => model.Manifest;

    /// <summary>Quality of one face from its embedding (any norm) and its aligned chip; <paramref name="resolution"/> as in <see cref="ChipCues"/>.</summary>
    public float Score(ReadOnlySpan<float> embedding, RgbImage chip, double resolution) =>
        Score(embedding, ChipCues.Compute(chip, resolution));

    public float Score(ReadOnlySpan<float> embedding, ReadOnlySpan<float> cues)
    {
        if (embedding.Length != Dimension || cues.Length != ChipCues.Count)
        {
            throw new ArgumentException($"Expected {Dimension} embedding values and {ChipCues.Count} cues; got {embedding.Length} and {cues.Length}.");
        }

        var unit = Aggregation.VectorMath.Normalized(embedding);
        using var embeddingValue = OrtValue.CreateTensorValueFromMemory(unit, [1, Dimension]);
        using var cuesValue = OrtValue.CreateTensorValueFromMemory(cues.ToArray(), [1, ChipCues.Count]);
        using var runOptions = new RunOptions();
        using var outputs = model.Session.Run(runOptions, InputNames, [embeddingValue, cuesValue], OutputNames);
        return Math.Clamp(outputs[0].GetTensorDataAsSpan<float>()[0], 0f, 1f);
    }
}
