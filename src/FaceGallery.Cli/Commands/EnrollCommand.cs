using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace FaceGallery.Cli.Commands;

/// <summary><c>enroll DIR</c>: one identity per sub-folder of DIR, named after it, enrolled from its images.</summary>
public static class EnrollCommand
{
    private const int ImagesPerRequest = 16;

    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "Folder with one sub-folder of images per person" };
        var server = ServerConnection.ServerOption();
        var apiKey = ServerConnection.ApiKeyOption();
        var aligned = new Option<bool>("--aligned") { Description = "The images are already aligned 150×150 chips" };
        var command = new Command("enroll", "Enroll one identity per sub-folder of DIR") { directory, server, apiKey, aligned };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(directory)!, parse.GetValue(server)!, parse.GetValue(apiKey), parse.GetValue(aligned), ct));
        return command;
    }

    private sealed record Outcome(string Identity, int Images, int Accepted, int Duplicates, int Rejected, string? Error);

    private static async Task<int> RunAsync(DirectoryInfo root, Uri server, string? apiKey, bool aligned, CancellationToken cancellationToken)
    {
        if (!root.Exists)
        {
            await Console.Error.WriteLineAsync($"enroll: {root}: no such folder");
            return 2;
        }

        var people = root.GetDirectories().OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => (d.Name, Files: d.GetFiles().Where(IsImage).OrderBy(f => f.Name, StringComparer.Ordinal).ToArray()))
            .Where(p => p.Files.Length > 0)
            .ToArray();
        if (people.Length == 0)
        {
            await Console.Error.WriteLineAsync($"enroll: {root}: no sub-folders with images");
            return 2;
        }

        using var client = ServerConnection.CreateClient(server, apiKey);
        var outcomes = new List<Outcome>();
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("enrolling", maxValue: people.Sum(p => p.Files.Length));
            foreach (var (name, files) in people)
            {
                task.Description = name;
                outcomes.Add(await EnrollPersonAsync(client, name, files, aligned, task, cancellationToken));
            }
        });

        var table = new Table().AddColumns("identity", "images", "accepted", "duplicates", "rejected", "error");
        foreach (var o in outcomes)
        {
            table.AddRow(Markup.Escape(o.Identity), $"{o.Images}", $"{o.Accepted}", $"{o.Duplicates}", $"{o.Rejected}", Markup.Escape(o.Error ?? ""));
        }

        AnsiConsole.Write(table);
        return outcomes.Any(o => o.Error is not null) ? 1 : 0;
    }

    private static async Task<Outcome> EnrollPersonAsync(HttpClient client, string identity, FileInfo[] files, bool aligned,
        ProgressTask progress, CancellationToken cancellationToken)
    {
        int accepted = 0, duplicates = 0, rejected = 0;
        string? error = null;
        foreach (var chunk in files.Chunk(ImagesPerRequest))
        {
            using var content = new MultipartFormDataContent();
            foreach (var file in chunk)
            {
                var part = new ByteArrayContent(await File.ReadAllBytesAsync(file.FullName, cancellationToken));
                part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                content.Add(part, "images", file.Name);
            }

            var path = $"v1/identities/{Uri.EscapeDataString(identity)}/faces{(aligned ? "?aligned=true" : "")}";
            using var response = await client.PostAsync(path, content, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            progress.Increment(chunk.Length);
            if (!response.IsSuccessStatusCode)
            {
                error = ServerConnection.Describe((int)response.StatusCode, text);
                rejected += JsonNode.Parse(text)?["rejected"]?.AsArray().Count ?? 0;
                continue;
            }

            var body = JsonNode.Parse(text)!;
            accepted += (int)body["accepted"]!;
            duplicates += (int)body["duplicates"]!;
            rejected += body["rejected"]!.AsArray().Count;
        }

        return new Outcome(identity, files.Length, accepted, duplicates, rejected, error);
    }

    private static bool IsImage(FileInfo file) =>
        ServerConnection.ImageExtensions.Contains(file.Extension, StringComparer.OrdinalIgnoreCase);
}
