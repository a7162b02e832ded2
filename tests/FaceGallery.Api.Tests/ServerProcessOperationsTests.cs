using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaceGallery.Testing;

namespace FaceGallery.Api.Tests;

/// <summary>
/// What an operator sees from a real server process: the web page at /, Prometheus metrics that
/// follow real face enrollments, and log lines that carry the request's trace id.
/// </summary>
public sealed class ServerProcessOperationsTests(ServerProcessFixture fixture) : IClassFixture<ServerProcessFixture>
{
    private const string Embedder = "dlib-resnet-v1";
    private const string Cpu = "CPUExecutionProvider";

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task The_web_page_is_served_at_the_root_by_a_server_started_from_its_build_output()
    {
        using var page = await Client.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var shipped = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "src", "FaceGallery.Server", "wwwroot", "index.html"));
        Assert.Equal(shipped, html);

        using var script = await Client.GetAsync(new Uri("/app.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task Metrics_follow_real_face_enrollments_batches_providers_recomputations_gallery_size_and_latency()
    {
        var before = await ScrapeAsync();
        var johns = FaceImages.Johns();
        var chips = 0;
        var enrollRequests = 0;
        var accepted = 0;
        foreach (var (person, files) in johns.Take(2))
        {
            var body = await EnrollAsync($"/v1/identities/metrics.{person}/faces?aligned=true", files.Take(3));
            chips += body["faces"]!.AsArray().Count;
            accepted += (int)body["accepted"]!;
            enrollRequests++;
        }

        // Aligned chips skip detection: every face embedded is a face enrolled.
        var afterChips = await ScrapeAsync();
        Assert.Equal(6, chips);
        Assert.Equal(chips, Delta(before, afterChips, "facegallery_faces_processed_total", ("stage", "embed")));
        Assert.Equal(0, Delta(before, afterChips, "facegallery_faces_processed_total", ("stage", "detect")));

        // A photo goes through detection; every detected face is embedded.
        var photo = await EnrollAsync("/v1/identities/metrics.photo/faces", [FaceImages.Photo("Tom_Cruise_avp_2014_4.jpg")]);
        accepted += (int)photo["accepted"]!;
        enrollRequests++;
        var search = await Client.PostAsJsonAsync("/v1/search", new { images = new[] { Convert.ToBase64String(await File.ReadAllBytesAsync(johns[0].Files[5])) } });
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        var verify = await Client.PostAsJsonAsync("/v1/verify",
            new { identityId = $"metrics.{johns[1].Person}", images = new[] { Convert.ToBase64String(await File.ReadAllBytesAsync(johns[1].Files[6])) } });
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);

        var identities = (await Client.GetFromJsonAsync<JsonObject>("/v1/identities?limit=1000"))!["items"]!.AsArray().Count;
        var after = await ScrapeUntilAsync(s => s.Sum("facegallery_gallery_identities", ("tenant", "default")) == identities);

        var detected = Delta(before, after, "facegallery_faces_processed_total", ("stage", "detect"));
        var embedded = Delta(before, after, "facegallery_faces_processed_total", ("stage", "embed"));
        Assert.True(detected >= 3, $"{detected} faces detected in one photo and two probes");
        Assert.Equal(chips + detected, embedded);

        // Every embedded face went through a batch of the embedder, on the CPU provider.
        Assert.True(Delta(before, after, "facegallery_inference_batch_size_count", ("model", Embedder)) > 0);
        Assert.Equal(embedded, Delta(before, after, "facegallery_inference_batch_size_sum", ("model", Embedder)));
        var queue = Assert.Single(after.Find("facegallery_inference_queue_depth", ("model", Embedder)));
        Assert.InRange(queue.Value, 0, 1024);
        foreach (var model in new[] { Embedder, "blazeface" })
        {
            Assert.Equal(1, Assert.Single(after.Find("facegallery_inference_execution_provider", ("model", model))).Value);
            Assert.Single(after.Find("facegallery_inference_execution_provider", ("model", model), ("provider", Cpu)));
        }

        Assert.Equal(accepted, Delta(before, after, "facegallery_samples_enrolled_total", ("tenant", "default")));
        Assert.True(Delta(before, after, "facegallery_descriptor_recomputations_total") >= enrollRequests);
        Assert.Equal(enrollRequests, Delta(before, after, "facegallery_enroll_duration_seconds_count", ("tenant", "default")));
        Assert.Equal(1, Delta(before, after, "facegallery_search_duration_seconds_count", ("tenant", "default")));
        Assert.Equal(1, Delta(before, after, "facegallery_verify_duration_seconds_count", ("tenant", "default")));
        Assert.True(Delta(before, after, "facegallery_enroll_duration_seconds_sum", ("tenant", "default")) > 0);
    }

    [Fact]
    public async Task Log_lines_written_inside_a_request_carry_its_trace_id()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/identities/logged/embeddings")
        {
            Content = JsonContent.Create(ApiClient.Samples(("log1", new SyntheticGallery(128, seed: 3).Sample("logged"), 1f))),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // The identity grain logs the stored descriptor inside the grain call, on the silo's side of Orleans.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string[] lines;
        do
        {
            await Task.Delay(100);
            lines = fixture.Server.Output.Split('\n').Where(l => l.Contains(traceId, StringComparison.Ordinal)).ToArray();
        }
        while (!lines.Any(IsGrainLine) && DateTime.UtcNow < deadline);

        Assert.True(lines.Any(IsGrainLine), $"no grain log line carries trace {traceId}:\n{string.Join('\n', lines)}");
        var line = JsonNode.Parse(lines.First(IsGrainLine))!;
        Assert.Contains(line["Scopes"]!.AsArray(), scope => (string?)scope?["TraceId"] == traceId);

        static bool IsGrainLine(string line) => line.Contains("\"Category\":\"FaceGallery.Grains.", StringComparison.Ordinal);
    }

    private async Task<JsonNode> EnrollAsync(string path, IEnumerable<string> files)
    {
        using var content = new MultipartFormDataContent();
        foreach (var file in files)
        {
            var part = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            content.Add(part, "images", Path.GetFileName(file));
        }

        using var response = await Client.PostAsync(new Uri(path, UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task<PrometheusScrape> ScrapeAsync() =>
        PrometheusScrape.Parse(await Client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    /// <summary>Scrapes until a sampled value (the gallery gauge) has caught up, for at most 10 s.</summary>
    private async Task<PrometheusScrape> ScrapeUntilAsync(Func<PrometheusScrape, bool> caughtUp)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var scrape = await ScrapeAsync();
            if (caughtUp(scrape) || DateTime.UtcNow > deadline)
            {
                Assert.True(caughtUp(scrape), "the scrape never caught up:\n" + string.Join('\n', scrape.Samples.Where(s => s.Name.StartsWith("facegallery_", StringComparison.Ordinal))));
                return scrape;
            }

            await Task.Delay(250);
        }
    }

    private static double Delta(PrometheusScrape before, PrometheusScrape after, string name, params (string Key, string Value)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);
}
