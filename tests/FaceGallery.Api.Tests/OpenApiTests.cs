using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FaceGallery.Api.Tests;

/// <summary>/openapi/v1.json describes every /v1 route the server maps, with problem+json errors.</summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    private GalleryServer? _server;

    public async Task InitializeAsync() =>
        _server = await GalleryServer.StartAsync(StoreKind.Embedded, new Dictionary<string, string?>
        {
            ["FaceGallery:Tenants:docs:ApiKey"] = "docs-key",
        });

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task The_document_lists_every_v1_route_with_problem_json_errors_and_needs_no_key()
    {
        using var client = _server!.CreateClient();
        var (status, document, _) = await client.GetJsonAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, status);
        var paths = document!["paths"]!.AsObject();

        var routes = _server.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Path: e.RoutePattern.RawText!, Method: m)))
            .ToArray();
        Assert.True(routes.Length >= 10, $"only {routes.Length} /v1 routes found");
        foreach (var (path, method) in routes)
        {
            var documented = "/" + path.Trim('/');
            Assert.True(paths.ContainsKey(documented), $"{documented} is missing from the document");
            var operation = paths[documented]![method.ToLowerInvariant()];
            Assert.True(operation is not null, $"{method} {documented} is missing from the document");
            var unauthorized = operation!["responses"]!["401"]!["content"]!["application/problem+json"]!;
            Assert.Equal("#/components/schemas/Problem", (string?)unauthorized["schema"]!["$ref"]);
            Assert.Equal("unauthorized", (string?)unauthorized["example"]!["code"]);
        }

        var problem = document["components"]!["schemas"]!["Problem"]!;
        Assert.NotNull(problem["properties"]!["code"]);
        Assert.Equal("X-Api-Key", (string?)document["components"]!["securitySchemes"]!["ApiKey"]!["name"]);
        Assert.NotNull(paths["/v1/identities/{id}/embeddings"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]);
    }
}
