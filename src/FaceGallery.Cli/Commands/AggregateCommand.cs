using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using FaceGallery.Cli.Evaluation;

namespace FaceGallery.Cli.Commands;

/// <summary>
/// `aggregate [--aggregator coreset|mean|quality-mean]`: one set of faces per stdin line
/// (`{"samples":[{"embedding":[…],"quality":q}]}`) → one line `{"descriptor":[…],"coreset":[index…]}`.
/// Stops at the first bad line with a message naming it and exit code 1, so output lines always match
/// input lines one to one.
/// </summary>
public static class AggregateCommand
{
    public const int BadInputExitCode = 1;

    public static Command Create()
    {
        var aggregator = new Option<string>("--aggregator")
        {
            Description = "Set aggregator: coreset (FaceCoresetNet), mean or quality-mean.",
            DefaultValueFactory = _ => AggregatorCatalog.CoresetName,
        };
        aggregator.AcceptOnlyFromAmong([.. AggregatorCatalog.SetAggregatorNames]);
        var command = new Command("aggregate", "Turn sets of embeddings (JSON lines on stdin) into set descriptors (JSON lines on stdout).")
        {
            aggregator,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(aggregator)!, Console.In, Console.Out, Console.Error, modelsPath: null, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(
        string aggregatorName, TextReader input, TextWriter output, TextWriter error, string? modelsPath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var catalog = new AggregatorCatalog(modelsPath);
        var aggregator = catalog.Create(aggregatorName);
        var dimension = catalog.RequiredDimension(aggregator);
        var lineNumber = 0;
        while (await input.ReadLineAsync(cancellationToken) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            SetLine? set;
            try
            {
                set = JsonSerializer.Deserialize<SetLine>(line) ?? throw new FormatException("expected a JSON object.");
                var members = SampleValidation.ToMembers(set.Samples, dimension);
                var descriptor = await aggregator.AggregateAsync(members, cancellationToken);
                await output.WriteLineAsync(JsonSerializer.Serialize(new DescriptorLine(descriptor.Vector, descriptor.Coreset)).AsMemory(), cancellationToken);
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                await error.WriteLineAsync($"aggregate: line {lineNumber}: {e.Message}".AsMemory(), cancellationToken);
                return BadInputExitCode;
            }
        }

        await output.FlushAsync(cancellationToken);
        return 0;
    }

    private sealed record SetLine([property: JsonPropertyName("samples")] IReadOnlyList<SampleLine>? Samples);

    private sealed record DescriptorLine(
        [property: JsonPropertyName("descriptor")] float[] Descriptor,
        [property: JsonPropertyName("coreset")] IReadOnlyList<int> Coreset);
}
