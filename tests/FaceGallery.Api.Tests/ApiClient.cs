using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FaceGallery.Api.Tests;

/// <summary>Thin helpers over HttpClient for the v1 API, returning parsed JSON and status.</summary>
public static class ApiClient
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> SendAsync(
        this HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw)
        {
            request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var node = text.Length == 0 ? null : JsonNode.Parse(text);
        return (response.StatusCode, node, response.Content.Headers.ContentType?.MediaType);
    }

    public static Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> PostAsync(this HttpClient client, string path, object body) =>
        client.SendAsync(HttpMethod.Post, path, body);

    public static Task<(HttpStatusCode Status, JsonNode? Body, string? ContentType)> GetJsonAsync(this HttpClient client, string path) =>
        client.SendAsync(HttpMethod.Get, path);

    public static object Samples(params (string Id, float[] Embedding, float Quality)[] samples) =>
        new { samples = samples.Select(s => new { id = s.Id, embedding = s.Embedding, quality = s.Quality }).ToArray() };

    public static string ToJson(object value) => JsonSerializer.Serialize(value);
}
