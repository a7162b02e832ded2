using System.Text.Json;
using FaceGallery.Inference.Aggregation;

namespace FaceGallery.Cli.Evaluation;

/// <summary>A template ready for aggregation.</summary>
public sealed record LoadedTemplate(string Id, string Identity, bool IsGallery, SetMember[] Members);

/// <summary>Reads benchmark files: JSON lines of <see cref="BenchmarkTemplate"/>, blank lines skipped.</summary>
public static class BenchmarkFile
{
    public static async Task<IReadOnlyList<LoadedTemplate>> ReadAsync(TextReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var templates = new List<LoadedTemplate>();
        var lineNumber = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                var template = JsonSerializer.Deserialize<BenchmarkTemplate>(line) ?? throw new FormatException("null template.");
                if (string.IsNullOrEmpty(template.Identity))
                {
                    throw new FormatException("\"identity\" is missing.");
                }

                var isGallery = template.Role switch
                {
                    BenchmarkTemplate.GalleryRole => true,
                    BenchmarkTemplate.ProbeRole => false,
                    _ => throw new FormatException($"\"role\" must be \"{BenchmarkTemplate.GalleryRole}\" or \"{BenchmarkTemplate.ProbeRole}\"."),
                };
                var id = string.IsNullOrEmpty(template.Template) ? $"line{lineNumber}" : template.Template;
                templates.Add(new LoadedTemplate(id, template.Identity, isGallery, SampleValidation.ToMembers(template.Samples, null)));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new FormatException($"line {lineNumber}: {e.Message}", e);
            }
        }

        return templates;
    }
}
