using System.CommandLine;
using FaceGallery.Cli.Evaluation;

namespace FaceGallery.Cli.Commands;

/// <summary>
/// `eval --benchmark FILE… [--aggregator NAME…] [--output FILE]`: verification (TAR@FAR) and identification
/// (rank-1/5, TPIR@FPIR) of each aggregator on benchmark files of templates (JSON lines, see
/// <see cref="BenchmarkTemplate"/>); prints Markdown tables. `eval build-real` writes such files from real chips.
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var benchmarks = new Option<FileInfo[]>("--benchmark", "-b")
        {
            Description = "Benchmark file (JSON lines of templates); repeat for several. Its name (without extension) titles its table.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var aggregators = new Option<string[]>("--aggregator", "-a")
        {
            Description = "Aggregators to compare (default: all of coreset, mean, quality-mean, best-single).",
            DefaultValueFactory = _ => [.. AggregatorCatalog.EvaluationNames],
            AllowMultipleArgumentsPerToken = true,
        };
        aggregators.AcceptOnlyFromAmong([.. AggregatorCatalog.EvaluationNames]);
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Also write the tables to this Markdown file." };
        var command = new Command("eval", "Verification and identification metrics of the set aggregators on template benchmarks.")
        {
            benchmarks,
            aggregators,
            output,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(benchmarks)!, parse.GetValue(aggregators)!, parse.GetValue(output), Console.Out, Console.Error, null, cancellationToken));
        command.Subcommands.Add(BuildRealCommand.Create());
        return command;
    }

    public static async Task<int> RunAsync(
        IReadOnlyList<FileInfo> benchmarks,
        IReadOnlyList<string> aggregatorNames,
        FileInfo? output,
        TextWriter stdout,
        TextWriter stderr,
        string? modelsPath,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(benchmarks);
        ArgumentNullException.ThrowIfNull(aggregatorNames);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        using var catalog = new AggregatorCatalog(modelsPath);
        var results = new List<BenchmarkResult>();
        foreach (var file in benchmarks)
        {
            IReadOnlyList<LoadedTemplate> templates;
            try
            {
                using var reader = file.OpenText();
                templates = await BenchmarkFile.ReadAsync(reader, cancellationToken);
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                await stderr.WriteLineAsync($"eval: {file.FullName}: {e.Message}".AsMemory(), cancellationToken);
                return 1;
            }

            var name = Path.GetFileNameWithoutExtension(file.Name);
            foreach (var aggregatorName in aggregatorNames.Distinct(StringComparer.Ordinal))
            {
                var aggregator = catalog.Create(aggregatorName);
                try
                {
                    var result = await BenchmarkEvaluator.EvaluateAsync(name, templates, aggregator, cancellationToken);
                    results.Add(result with { Aggregator = aggregatorName });
                }
                catch (Exception e) when (e is FormatException or ArgumentException)
                {
                    await stderr.WriteLineAsync($"eval: {file.FullName}: {e.Message}".AsMemory(), cancellationToken);
                    return 1;
                }
            }
        }

        var tables = ResultTable.Render(results);
        await stdout.WriteAsync(tables.AsMemory(), cancellationToken);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output.FullName, tables, cancellationToken);
        }

        return 0;
    }
}
