using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using FaceGallery.Contracts;
using FaceGallery.Storage;
using FaceGallery.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FaceGallery.Api.Tests;

/// <summary>
/// One server per store for the whole matrix (started once, not per row), holding one identity with one
/// sample so "nothing stored" is checked against a known state.
/// </summary>
public abstract class HostileMatrixServer(StoreKind kind) : IAsyncLifetime
{
    private static readonly SyntheticGallery Faces = new(HostileInputs.Dimension, seed: 11);

    public GalleryServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public IdentityRecord Victim { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await GalleryServer.StartAsync(kind, new Dictionary<string, string?>
        {
            ["FaceGallery:MaxRequestBytes"] = Invariant(HostileInputs.MaxRequestBytes),
            ["FaceGallery:MaxSamplesPerRequest"] = Invariant(HostileInputs.MaxSamplesPerRequest),
            ["FaceGallery:MaxSearchResults"] = Invariant(HostileInputs.MaxSearchResults),
            ["FaceGallery:Images:MaxEncodedBytes"] = Invariant(HostileInputs.MaxEncodedImageBytes),
            ["FaceGallery:Images:MaxPixels"] = Invariant(HostileInputs.MaxPixels),
            ["FaceGallery:Images:MaxImagesPerRequest"] = Invariant(HostileInputs.MaxImagesPerRequest),
        });
        Client = Server.CreateClient();
        var ok = await Client.PostAsync($"/v1/identities/{HostileInputs.Victim}/embeddings",
            ApiClient.Samples((HostileInputs.VictimSample, Faces.Sample(HostileInputs.Victim), 1f)));
        Assert.Equal(HttpStatusCode.OK, ok.Status);
        Victim = Assert.Single(await StoredAsync());
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }

    public async Task<IReadOnlyList<IdentityRecord>> StoredAsync() =>
        await Server.Services.GetRequiredService<IGalleryStore>().ListIdentitiesAsync(GalleryIds.DefaultTenant, 100, null, CancellationToken.None);

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class EmbeddedHostileMatrixServer() : HostileMatrixServer(StoreKind.Embedded);

public sealed class PostgresHostileMatrixServer() : HostileMatrixServer(StoreKind.Postgres);

/// <summary>
/// The hostile-input matrix (<see cref="HostileInputs"/>) against a real server on each store: every row
/// gets its 4xx problem+json with a stable code, the store holds exactly what it held before, and the
/// server stays ready.
/// </summary>
public abstract class HostileInputMatrix(HostileMatrixServer fixture)
{
    private HttpClient Client => fixture.Client;

    public static TheoryData<string> Rows() => [.. HostileInputs.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task A_hostile_request_gets_a_4xx_problem_with_a_stable_code_stores_nothing_and_the_server_stays_ready(string row)
    {
        var hostile = HostileInputs.Find(row);
        using var request = hostile.Request();
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(hostile.Status == response.StatusCode, $"{row}: expected {(int)hostile.Status}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(hostile.Code, (string?)problem["code"]);
        Assert.Equal((int)hostile.Status, (int)problem["status"]!);

        var stored = Assert.Single(await fixture.StoredAsync());
        Assert.Equal(fixture.Victim with { Coreset = null }, stored with { Coreset = null });
        Assert.Equal(fixture.Victim.Coreset, stored.Coreset);
        using var ready = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task Every_endpoint_of_the_api_and_its_openapi_document_has_rows_in_the_matrix()
    {
        var mapped = fixture.Server.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(m => $"{m} /{e.RoutePattern.RawText!.Trim('/')}"))
            .ToHashSet(StringComparer.Ordinal);
        var (_, document, _) = await Client.GetJsonAsync("/openapi/v1.json");
        var documented = document!["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}"))
            .Where(e => e.Contains(" /v1", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);
        var inMatrix = HostileInputs.Endpoints.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);

        Assert.True(mapped.Count >= 11, $"only {mapped.Count} routes found");
        Assert.True(mapped.SetEquals(inMatrix), $"mapped but not in the matrix: {string.Join(", ", mapped.Except(inMatrix))}; in the matrix but not mapped: {string.Join(", ", inMatrix.Except(mapped))}");
        Assert.True(documented.SetEquals(inMatrix), $"documented but not in the matrix: {string.Join(", ", documented.Except(inMatrix))}");
        foreach (var endpoint in inMatrix)
        {
            Assert.True(HostileInputs.All.Count(c => c.Endpoint == endpoint) >= 2, $"{endpoint} has fewer than two rows");
        }

        Assert.All(HostileInputs.All, c => Assert.InRange((int)c.Status, 400, 499));
        Assert.All(HostileInputs.All, c => Assert.Contains(c.Code, typeof(ErrorCodes).GetFields().Select(f => (string?)f.GetRawConstantValue())));
    }
}

public sealed class EmbeddedHostileInputTests(EmbeddedHostileMatrixServer fixture)
    : HostileInputMatrix(fixture), IClassFixture<EmbeddedHostileMatrixServer>;

public sealed class PostgresHostileInputTests(PostgresHostileMatrixServer fixture)
    : HostileInputMatrix(fixture), IClassFixture<PostgresHostileMatrixServer>;
