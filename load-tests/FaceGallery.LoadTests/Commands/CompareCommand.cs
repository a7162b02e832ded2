using System.CommandLine;
using System.Text.Json;
using FaceGallery.LoadTests.Reporting;

namespace FaceGallery.LoadTests.Commands;

/// <summary><c>compare</c>: several report.json files → throughput vs silo count (scaling.png, scaling.md).</summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var reports = new Argument<FileInfo[]>("reports") { Description = "report.json files", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "directory for scaling.png and scaling.md", DefaultValueFactory = _ => "." };
        var command = new Command("compare", "Throughput vs silo count from several runs") { reports, output };
        command.SetAction(async (parse, ct) =>
        {
            var loaded = new List<LoadReport>();
            foreach (var file in parse.GetValue(reports)!)
            {
                await using var stream = file.OpenRead();
                loaded.Add((await JsonSerializer.DeserializeAsync<LoadReport>(stream, LoadReport.Json, ct))!);
            }

            var directory = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(directory);
            var figure = Plots.WriteScaling(loaded, directory);
            await File.WriteAllTextAsync(Path.Combine(directory, "scaling.md"), MarkdownReport.RenderScaling(loaded, figure), ct);
            Console.WriteLine($"wrote {figure} and scaling.md");
            return 0;
        });
        return command;
    }
}
