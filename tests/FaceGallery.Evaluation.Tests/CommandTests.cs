using System.Text.Json;
using FaceGallery.Cli.Commands;
using FaceGallery.Testing;

namespace FaceGallery.Evaluation.Tests;

public sealed class CommandTests
{
    private static readonly string Models = Path.Combine(RepoPaths.Root, "models");

    private static string SetLine(params (float[] Embedding, float Quality)[] faces) =>
        JsonSerializer.Serialize(new { samples = faces.Select(f => new { embedding = f.Embedding, quality = f.Quality }) });

    private static float[] Embedding(int seed, int dimension = 128)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    }

    [Fact]
    public async Task Aggregate_writes_one_unit_descriptor_and_coreset_per_line()
    {
        var input = string.Join('\n', SetLine((Embedding(1), 0.9f), (Embedding(2), 0.2f), (Embedding(3), 0.5f), (Embedding(4), 0.7f)), SetLine((Embedding(5), 1f)));
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await AggregateCommand.RunAsync("coreset", new StringReader(input), output, error, Models, CancellationToken.None);

        Assert.Equal(0, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var descriptor = first.RootElement.GetProperty("descriptor").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(128, descriptor.Length);
        Assert.Equal(1.0, Math.Sqrt(descriptor.Sum(v => v * v)), 3);
        var coreset = first.RootElement.GetProperty("coreset").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(3, coreset.Length);
        Assert.Equal(0, coreset[0]); // highest quality first
    }

    [Fact]
    public async Task Aggregate_mean_averages_unit_embeddings_without_a_coreset()
    {
        var output = new StringWriter();
        var code = await AggregateCommand.RunAsync(
            "mean", new StringReader(SetLine(([3f, 0f], 0.5f), ([0f, 1f], 0.5f))), output, new StringWriter(), Models, CancellationToken.None);

        Assert.Equal(0, code);
        using var line = JsonDocument.Parse(output.ToString());
        var d = line.RootElement.GetProperty("descriptor").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(Math.Sqrt(0.5), d[0], 5);
        Assert.Equal(Math.Sqrt(0.5), d[1], 5);
        Assert.Empty(line.RootElement.GetProperty("coreset").EnumerateArray());
    }

    [Theory]
    [InlineData("not json", "line 2")]
    [InlineData("{\"samples\":[]}", "at least one face")]
    [InlineData("{\"samples\":[{\"embedding\":[1,2],\"quality\":0.5}]}", "expected 128")]
    [InlineData("{\"samples\":[{\"embedding\":[1,2,3],\"quality\":1.5}]}", "[0, 1]")]
    public async Task Aggregate_stops_at_a_bad_line_with_a_message_and_exit_code_1(string bad, string message)
    {
        var input = SetLine((Embedding(1), 0.9f)) + "\n" + bad + "\n" + SetLine((Embedding(2), 0.9f));
        var output = new StringWriter();
        var error = new StringWriter();
        var aggregator = bad.Contains("1.5", StringComparison.Ordinal) ? "mean" : "coreset";

        var code = await AggregateCommand.RunAsync(aggregator, new StringReader(input), output, error, Models, CancellationToken.None);

        Assert.Equal(AggregateCommand.BadInputExitCode, code);
        Assert.Contains("line 2", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Eval_scores_every_aggregator_on_a_tiny_benchmark()
    {
        // Three well separated people; person 2 is never enrolled (non-mated probe).
        var lines = new List<string>();
        for (var person = 0; person < 3; person++)
        {
            var centre = Embedding(100 + person);
            float[] Near(int s) => centre.Zip(Embedding(s), (c, n) => c + (0.05f * n)).ToArray();
            if (person < 2)
            {
                lines.Add(JsonSerializer.Serialize(new { template = $"g{person}", identity = $"p{person}", role = "gallery", samples = new[] { new { embedding = Near(person * 10), quality = 0.9f } } }));
            }

            lines.Add(JsonSerializer.Serialize(new
            {
                template = $"q{person}",
                identity = $"p{person}",
                role = "probe",
                samples = new[] { new { embedding = Near((person * 10) + 1), quality = 0.8f }, new { embedding = Near((person * 10) + 2), quality = 0.4f } },
            }));
        }

        var file = Path.Combine(Path.GetTempPath(), $"evalq-tiny-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file, lines);
        try
        {
            var output = new StringWriter();
            var code = await EvalCommand.RunAsync([new FileInfo(file)], ["coreset", "mean", "quality-mean", "best-single"], null, output, new StringWriter(), Models, CancellationToken.None);

            Assert.Equal(0, code);
            var table = output.ToString();
            Assert.Contains("2 genuine and 4 impostor pairs", table, StringComparison.Ordinal);
            foreach (var name in new[] { "coreset", "mean", "quality-mean", "best-single" })
            {
                // Separated people: every aggregator finds both mates at rank 1.
                Assert.Contains($"| {name} |", table, StringComparison.Ordinal);
                Assert.Matches($@"\| {name} \|( [0-9.*]+ \|){{5}} 1\.000 \| 1\.000 \|", table);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
