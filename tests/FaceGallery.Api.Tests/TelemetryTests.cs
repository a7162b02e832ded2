using System.Diagnostics;
using System.Net;
using FaceGallery.Testing;
using OpenTelemetry.Trace;

namespace FaceGallery.Api.Tests;

/// <summary>Prometheus text at /metrics and one trace from HTTP through Orleans to PostgreSQL.</summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private const int D = 128;
    private readonly SyntheticGallery _faces = new(D, seed: 5);
    private readonly List<Activity> _spans = [];
    private GalleryServer? _server;

    public async Task InitializeAsync() =>
        _server = await GalleryServer.StartAsync(StoreKind.Postgres,
            services: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans)));

    public async Task DisposeAsync() => await _server!.DisposeAsync();

    [Fact]
    public async Task An_enrollment_is_one_trace_through_aspnet_orleans_and_npgsql_and_shows_in_metrics()
    {
        using var client = _server!.CreateClient();
        var enrolled = await client.PostAsync("/v1/identities/traced/embeddings",
            ApiClient.Samples(("t1", _faces.Sample("traced"), 1f), ("t2", _faces.Sample("traced"), 0.7f)));
        Assert.Equal(HttpStatusCode.OK, enrolled.Status);
        var search = await client.PostAsync("/v1/search", new { embeddings = new[] { _faces.Sample("traced") } });
        Assert.Equal(HttpStatusCode.OK, search.Status);

        Activity[] spans;
        lock (_spans)
        {
            spans = [.. _spans];
        }

        // Other servers in this test process emit spans too: pick this request's server span by path.
        var request = Assert.Single(spans, s => s.Source.Name == "Microsoft.AspNetCore"
            && (s.GetTagItem("url.path") as string) == "/v1/identities/traced/embeddings");
        var trace = spans.Where(s => s.TraceId == request.TraceId).ToArray();
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Name == "Npgsql");
        Assert.Contains(trace, s => s.Source.Name == "FaceGallery" && s.OperationName == "aggregate descriptor");

        using var metrics = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("facegallery_samples_enrolled_total{", text, StringComparison.Ordinal);
        Assert.Contains("facegallery_enroll_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("facegallery_search_duration_seconds_count{", text, StringComparison.Ordinal);
        Assert.Contains("facegallery_descriptor_recomputations_total{", text, StringComparison.Ordinal);
        Assert.Contains("orleans_", text, StringComparison.Ordinal);
        Assert.Contains("dotnet_", text, StringComparison.Ordinal);
    }
}
