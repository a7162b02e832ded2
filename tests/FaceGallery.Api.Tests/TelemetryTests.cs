using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using FaceGallery.Testing;
using OpenTelemetry.Trace;

namespace FaceGallery.Api.Tests;

/// <summary>Prometheus text at /metrics and one trace from HTTP through Orleans to PostgreSQL and ONNX Runtime.</summary>
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

    [Fact]
    public async Task An_image_enrollment_is_one_trace_from_http_through_orleans_to_onnx_inference_and_npgsql()
    {
        using var client = _server!.CreateClient();
        using var content = new MultipartFormDataContent();
        var photo = new ByteArrayContent(await File.ReadAllBytesAsync(FaceImages.Photo("Tom_Cruise_avp_2014_4.jpg")));
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        content.Add(photo, "images", "photo.jpg");
        using var response = await client.PostAsync(new Uri("/v1/identities/traced.photo/faces", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The server span ends just after the answer is written: wait for it briefly.
        Activity? request = null;
        for (var i = 0; i < 50 && request is null; i++)
        {
            request = Snapshot().SingleOrDefault(s => s.Source.Name == "Microsoft.AspNetCore"
                && (s.GetTagItem("url.path") as string) == "/v1/identities/traced.photo/faces");
            await Task.Delay(i == 0 ? 0 : 100);
        }

        Assert.NotNull(request);
        var trace = Snapshot().Where(s => s.TraceId == request.TraceId).ToArray();
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Name == "Npgsql");
        var detect = Assert.Single(trace, s => s.Source.Name == "FaceGallery" && s.OperationName == "detect faces");
        var embed = Assert.Single(trace, s => s.Source.Name == "FaceGallery" && s.OperationName == "embed faces");
        Assert.Equal("CPUExecutionProvider", embed.GetTagItem("facegallery.provider"));
        Assert.True((int)embed.GetTagItem("facegallery.faces")! >= 1);
        Assert.True((int)detect.GetTagItem("facegallery.faces")! >= 1);
        var aggregate = Assert.Single(trace, s => s.Source.Name == "FaceGallery" && s.OperationName == "aggregate descriptor");

        // One silo runs detection and embedding in the request itself; the descriptor's ONNX run happens
        // inside the identity grain, under the Orleans call that carried the samples.
        var byId = trace.ToDictionary(s => s.SpanId);
        var ancestor = aggregate.ParentSpanId;
        var underOrleans = false;
        while (byId.TryGetValue(ancestor, out var parent))
        {
            underOrleans |= parent.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal);
            ancestor = parent.ParentSpanId;
        }

        Assert.True(underOrleans, "the aggregate span has no Orleans span above it");
    }

    private Activity[] Snapshot()
    {
        lock (_spans)
        {
            return [.. _spans];
        }
    }
}
