using System.Text.Json.Serialization;
using FaceGallery.Inference.Aggregation;

namespace FaceGallery.Cli.Evaluation;

/// <summary>One face of a JSON-lines set: an embedding and its quality (absent = 1, a face of unknown quality counts fully).</summary>
public sealed record SampleLine(
    [property: JsonPropertyName("embedding")] float[]? Embedding,
    [property: JsonPropertyName("quality")] float? Quality);

/// <summary>
/// One template of a benchmark file (JSON lines): which identity it shows, whether it is enrolled
/// (`gallery`) or searched (`probe`), and its faces.
/// </summary>
public sealed record BenchmarkTemplate(
    [property: JsonPropertyName("template")] string? Template,
    [property: JsonPropertyName("identity")] string? Identity,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("samples")] IReadOnlyList<SampleLine>? Samples)
{
    public const string GalleryRole = "gallery";
    public const string ProbeRole = "probe";
}

/// <summary>Turns parsed sample lines into aggregator input, with errors that name what is wrong.</summary>
public static class SampleValidation
{
    public static SetMember[] ToMembers(IReadOnlyList<SampleLine>? samples, int? dimension)
    {
        if (samples is null || samples.Count == 0)
        {
            throw new FormatException("\"samples\" must hold at least one face.");
        }

        var members = new SetMember[samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i] ?? throw new FormatException($"sample {i} is null.");
            var embedding = sample.Embedding;
            if (embedding is null || embedding.Length == 0)
            {
                throw new FormatException($"sample {i} has no \"embedding\".");
            }

            if (dimension is { } d && embedding.Length != d)
            {
                throw new FormatException($"sample {i} has {embedding.Length} values; expected {d}.");
            }

            if (embedding.Length != samples[0]?.Embedding?.Length)
            {
                throw new FormatException($"sample {i} has {embedding.Length} values but sample 0 has {samples[0]?.Embedding?.Length}.");
            }

            if (Array.Exists(embedding, v => !float.IsFinite(v)) || Array.TrueForAll(embedding, v => v == 0f))
            {
                throw new FormatException($"sample {i}: the embedding must be finite and not all zero.");
            }

            var quality = sample.Quality ?? 1f;
            if (!float.IsFinite(quality) || quality < 0f || quality > 1f)
            {
                throw new FormatException($"sample {i}: \"quality\" must lie in [0, 1]; got {quality}.");
            }

            members[i] = new SetMember(embedding, quality);
        }

        return members;
    }
}
