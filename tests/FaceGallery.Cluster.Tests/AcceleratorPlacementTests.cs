using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaceGallery.Testing;
using Xunit.Abstractions;

namespace FaceGallery.Cluster.Tests;

/// <summary>
/// Two CPU-only server processes on one PostgreSQL, one told to advertise accelerator=cuda: image
/// inference and descriptor recomputation requested through the other must run on it.
/// </summary>
public sealed class AcceleratorPlacementTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Image_inference_and_descriptor_recomputation_run_on_the_accelerator_silo()
    {
        await using var database = await TestPostgres.CreateAsync("fg_place");
        await using var gpu = StartSilo("silo-gpu", database, "cuda");
        await using var cpu = StartSilo("silo-cpu", database, "cpu");
        await Task.WhenAll(gpu.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)), cpu.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)));
        using var http = new HttpClient { BaseAddress = cpu.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var silos = await WaitForActiveSilosAsync(http, 2);
        var gpuAddress = silos.Single(s => (string?)s["accelerator"] == "cuda")["address"]!.ToString();
        Assert.Single(silos, s => (string?)s["accelerator"] == "cpu");

        // Sent to the CPU silo; every image request must be analysed by the accelerator silo's models.
        var johns = Path.Combine(RepoPaths.Root, "tests", "data", "dlib", "johns", "John_Simm");
        foreach (var chunk in Directory.GetFiles(johns).Order(StringComparer.Ordinal).Take(6).Chunk(3))
        {
            using var content = new MultipartFormDataContent();
            foreach (var file in chunk)
            {
                var part = new ByteArrayContent(await File.ReadAllBytesAsync(file));
                part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
                content.Add(part, "images", Path.GetFileName(file));
            }

            using var response = await http.PostAsync("/v1/identities/john.simm/faces", content);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var ranOn = response.Headers.GetValues("X-FaceGallery-Inference-Silo").Single();
            output.WriteLine($"faces request to {cpu.Name} analysed on {ranOn}");
            Assert.Equal(gpuAddress, ranOn);
        }

        var identity = await http.GetFromJsonAsync<JsonObject>("/v1/identities/john.simm");
        Assert.Equal(6, (int)identity!["sampleCount"]!);

        // Recomputations ran in the accelerator silo's inference grain, none in the CPU silo's.
        Assert.Contains("Inference ran on this silo: aggregate", gpu.Output, StringComparison.Ordinal);
        Assert.Contains("Inference ran on this silo: images", gpu.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Inference ran on this silo", cpu.Output, StringComparison.Ordinal);
    }

    private static ServerProcess StartSilo(string name, TestPostgres database, string accelerator) =>
        ServerProcess.StartSilo(name, database, new Dictionary<string, string>
        {
            ["FaceGallery__Accelerator"] = "cpu",
            ["FaceGallery__AdvertisedAccelerator"] = accelerator,
            ["Logging__LogLevel__FaceGallery.Grains.Placement"] = "Debug",
        });

    private static async Task<JsonNode[]> WaitForActiveSilosAsync(HttpClient client, int count)
    {
        for (var i = 0; i < 150; i++)
        {
            var silos = (await client.GetFromJsonAsync<JsonObject>("/v1/cluster"))!["silos"]!.AsArray()
                .Where(s => (string?)s!["status"] == "Active").Select(s => s!).ToArray();
            if (silos.Length == count && silos.All(s => (string?)s["accelerator"] is "cuda" or "cpu"))
            {
                return silos;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the cluster never showed {count} active silos with known accelerators");
    }
}
