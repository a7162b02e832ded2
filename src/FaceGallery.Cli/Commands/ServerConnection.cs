using System.CommandLine;
using System.Net.Http.Headers;

namespace FaceGallery.Cli.Commands;

/// <summary>Options shared by the commands that talk to a server.</summary>
public static class ServerConnection
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    public static Option<Uri> ServerOption() => new("--server")
    {
        Description = "Base URL of a FaceGallery server",
        DefaultValueFactory = _ => new Uri(DefaultServer),
    };

    public static Option<string?> ApiKeyOption() => new("--api-key") { Description = "X-Api-Key for servers with tenants configured" };

    public static HttpClient CreateClient(Uri server, string? apiKey)
    {
        var client = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(apiKey))
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    /// <summary>The problem+json code and detail of a failed answer, or its status line.</summary>
    public static string Describe(int status, string body)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            var code = doc.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            var detail = doc.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return $"{status} {code}: {detail}";
        }
        catch (System.Text.Json.JsonException)
        {
            return $"{status}";
        }
    }

    public static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"];
}
