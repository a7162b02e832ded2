using FaceGallery.Inference.Imaging;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace FaceGallery.Inference.Faces.Quality;

/// <summary>
/// Learned quality for dlib descriptors (whose norm says nothing about quality): a small ONNX regressor on
/// the embedding and the chip's <see cref="ChipCues"/>, trained to predict how similar the face's embedding
/// stays to the embedding of a clean capture of the same face (models/quality-dlib128-v2, docs/quality.md).
/// Output in [0, 1], 1 = best. A batch of faces is one ONNX Runtime run. Thread-safe; shares the process's
/// session for the model.
/// </summary>
public sealed class LearnedFaceQuality : IFaceQualityEstimator
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
        Dimension = Width(EmbeddingInput);
        CueCount = Width(CuesInput);
        if (CueCount > ChipCues.Count || !model.Session.OutputMetadata.ContainsKey(QualityOutput))
        {
            throw new InvalidDataException(
                $"Model {model.Manifest.Name} needs at most {ChipCues.Count} cues (has {CueCount}) and an output '{QualityOutput}'.");
        }
    }

    public string Name => model.Manifest.Name;

    public int Dimension { get; }

    /// <summary>How many of <see cref="ChipCues"/> (from the start) the model reads.</summary>
    public int CueCount { get; }

    public ModelManifest Manifest => model.Manifest;

    /// <summary>Execution provider the model runs on (ONNX Runtime's name).</summary>
    public string Provider => model.Provider;

    public float[] Score(IReadOnlyList<QualityEvidence> faces)
    {
        ArgumentNullException.ThrowIfNull(faces);
        if (faces.Count == 0)
        {
            return [];
        }

        var embeddings = new float[faces.Count * Dimension];
        var cues = new float[faces.Count * CueCount];
        for (var i = 0; i < faces.Count; i++)
        {
            var face = faces[i];
            if (face.Embedding.Length != Dimension)
            {
                throw new ArgumentException($"Face {i} has {face.Embedding.Length} embedding values; the model takes {Dimension}.", nameof(faces));
            }

            face.Embedding.CopyTo(embeddings, i * Dimension);
            ChipCues.Compute(face.Chip, face.Resolution).AsSpan(0, CueCount).CopyTo(cues.AsSpan(i * CueCount));
        }

        return Run(embeddings, cues, faces.Count);
    }

    /// <summary>Quality of one face from its embedding (any norm) and its aligned chip; <paramref name="resolution"/> as in <see cref="ChipCues"/>.</summary>
    public float Score(float[] embedding, RgbImage chip, double resolution) =>
        Score([new QualityEvidence(chip, resolution, 0f, embedding)])[0];

    private float[] Run(float[] embeddings, float[] cues, int count)
    {
        using var embeddingValue = OrtValue.CreateTensorValueFromMemory(embeddings, [count, Dimension]);
        using var cuesValue = OrtValue.CreateTensorValueFromMemory(cues, [count, CueCount]);
        using var runOptions = new RunOptions();
        using var outputs = model.Session.Run(runOptions, InputNames, [embeddingValue, cuesValue], OutputNames);
        var values = outputs[0].GetTensorDataAsSpan<float>();
        if (values.Length != count)
        {
            throw new InvalidDataException($"Model {model.Manifest.Name} returned {values.Length} scores for {count} faces.");
        }

        var scores = new float[count];
        for (var i = 0; i < count; i++)
        {
            scores[i] = Math.Clamp(values[i], 0f, 1f);
        }

        return scores;
    }

    private int Width(string input)
    {
        var dims = model.Session.InputMetadata.TryGetValue(input, out var metadata)
            ? metadata.Dimensions
            : throw new InvalidDataException($"Model {model.Manifest.Name} has no input '{input}'.");
        return dims.Length == 2 && dims[1] > 0 ? dims[1] : throw new InvalidDataException($"Model {model.Manifest.Name}: '{input}' must be N×K.");
    }
}
