using System.Globalization;
using System.Net;
using FaceGallery.Testing;

namespace FaceGallery.Cluster.Tests;

/// <summary>
/// Scale-in: after SIGTERM a server tells load balancers to go away (readiness 503) while it still answers
/// the requests that reach it for <c>FaceGallery:DrainSeconds</c>, then exits by itself.
/// </summary>
public sealed class ShutdownDrainTests
{
    [Fact]
    public async Task After_SIGTERM_readiness_fails_while_requests_are_still_served_then_the_process_exits()
    {
        var data = Directory.CreateTempSubdirectory("fg-drain-");
        try
        {
            await using var server = ServerProcess.Start("drain", new Dictionary<string, string>
            {
                ["FaceGallery__DataPath"] = data.FullName,
                ["FaceGallery__DrainSeconds"] = "4",
                ["FaceGallery__Images__WarmUpModels"] = "false",
                ["Logging__LogLevel__FaceGallery.Server.Health"] = "Information",
                ["Orleans__SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
                ["Orleans__GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            });
            await server.WaitUntilReadyAsync(TimeSpan.FromMinutes(2));
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            using (var before = await http.PutAsync("/v1/identities/drain-1", JsonBody("""{"displayName":"before"}""")))
            {
                Assert.True(before.IsSuccessStatusCode, $"{before.StatusCode}");
            }

            server.Terminate();
            var ready = await PollAsync(http, "/health/ready", r => r == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(3));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);

            // Still draining: requests that reach it are served.
            using (var during = await http.PutAsync("/v1/identities/drain-2", JsonBody("""{"displayName":"during"}""")))
            {
                Assert.True(during.IsSuccessStatusCode, $"{during.StatusCode}");
            }

            using (var read = await http.GetAsync("/v1/identities/drain-1"))
            {
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            }

            Assert.True(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the server did not exit after SIGTERM");
            Assert.Contains("still serving for 4 s", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static async Task<HttpStatusCode?> PollAsync(HttpClient http, string path, Func<HttpStatusCode, bool> until, TimeSpan timeout)
    {
        HttpStatusCode? last = null;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(path);
            last = response.StatusCode;
            if (until(response.StatusCode))
            {
                break;
            }

            await Task.Delay(50);
        }

        return last;
    }
}
