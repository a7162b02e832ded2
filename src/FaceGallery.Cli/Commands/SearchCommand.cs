using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FaceGallery.Cli.Commands;

/// <summary><c>search FILE…</c>: one JSON line per probe image with the server's best matches.</summary>
public static class SearchCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "Probe images", Arity = ArgumentArity.OneOrMore };
        var server = ServerConnection.ServerOption();
        var apiKey = ServerConnection.ApiKeyOption();
        var k = new Option<int>("--k") { Description = "Matches per probe", DefaultValueFactory = _ => 5 };
        var command = new Command("search", "Search the gallery with each image; JSON lines on stdout") { files, server, apiKey, k };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(files)!, parse.GetValue(server)!, parse.GetValue(apiKey), parse.GetValue(k), ct));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo[] files, Uri server, string? apiKey, int k, CancellationToken cancellationToken)
    {
        using var client = ServerConnection.CreateClient(server, apiKey);
        var failures = 0;
        foreach (var file in files)
        {
            try
            {
                var image = Convert.ToBase64String(await File.ReadAllBytesAsync(file.FullName, cancellationToken));
                using var response = await client.PostAsJsonAsync("v1/search", new { images = new[] { image }, k }, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    failures++;
                    await Console.Error.WriteLineAsync($"search: {file}: {ServerConnection.Describe((int)response.StatusCode, text)}");
                    continue;
                }

                var body = JsonNode.Parse(text)!;
                Console.Out.WriteLine(JsonSerializer.Serialize(new { file = file.ToString(), matches = body["matches"], faces = body["probe"]?["faces"] }));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException)
            {
                failures++;
                await Console.Error.WriteLineAsync($"search: {file}: {e.Message}");
            }
        }

        return failures == 0 ? 0 : 1;
    }
}
