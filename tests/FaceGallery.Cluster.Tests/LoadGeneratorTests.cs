using System.Text.Json;
using FaceGallery.LoadTests;
using FaceGallery.Testing;

namespace FaceGallery.Cluster.Tests;

/// <summary>
/// The load generator end to end against two server processes: a few hundred mixed requests, bounded
/// by count, then verification in PostgreSQL and the reports the contract names.
/// </summary>
public sealed class LoadGeneratorTests
{
    private const int Requests = 300;
    private const int Preload = 20;

    [Fact]
    public async Task A_short_mixed_run_on_two_silos_verifies_every_acknowledged_enrollment_and_writes_the_reports()
    {
        await using var database = await TestPostgres.CreateAsync("fg_load");
        await using var a = ServerProcess.StartSilo("silo-a", database);
        await using var b = ServerProcess.StartSilo("silo-b", database);
        await Task.WhenAll(a.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)), b.WaitUntilReadyAsync(TimeSpan.FromSeconds(90)));
        var output = Directory.CreateTempSubdirectory("fg-load-").FullName;
        try
        {
            var report = await LoadRun.RunAsync(new LoadSettings
            {
                Scenario = Scenario.Mixed,
                EnrollRatio = 0.5,
                Urls = [a.BaseAddress, b.BaseAddress],
                Duration = TimeSpan.FromMinutes(2),
                MaxRequests = Requests,
                Concurrency = 8,
                Preload = Preload,
                IdentityWindow = 20,
                Connection = database.ConnectionString,
                Silos = 2,
                OutputDirectory = output,
                ShowProgress = false,
            }, "none", CancellationToken.None);

            // Bounded by count, not by time: every one of the requests completed.
            Assert.Equal(Requests, report.Requests);
            Assert.Equal(0, report.Errors);
            Assert.InRange(report.Acked, 1, Requests - 1);
            Assert.Equal(0, report.Lost);
            Assert.True(report.Verification!.Ran);
            Assert.Equal(report.Acked + (2 * Preload), report.Verification.CheckedSamples);
            Assert.Equal(Requests - report.Acked, report.Search!.Ok);
            Assert.True(report.Search.Top1HitRate > 0.9, $"top-1 hit rate {report.Search.Top1HitRate}");

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")));
            var root = json.RootElement;
            foreach (var field in new[] { "scenario", "silos", "duration_s", "requests", "acked", "lost", "errors", "throughput_rps", "latency_ms", "chaos" })
            {
                Assert.True(root.TryGetProperty(field, out _), $"report.json lacks {field}");
            }

            Assert.Equal("mixed", root.GetProperty("scenario").GetString());
            Assert.Equal(2, root.GetProperty("silos").GetInt32());
            Assert.Equal(0, root.GetProperty("lost").GetInt64());
            var latency = root.GetProperty("latency_ms");
            var p50 = latency.GetProperty("p50").GetDouble();
            Assert.True(p50 > 0 && p50 <= latency.GetProperty("p90").GetDouble() && latency.GetProperty("p99").GetDouble() <= latency.GetProperty("max").GetDouble());
            Assert.Equal(JsonValueKind.Array, root.GetProperty("chaos").ValueKind);
            Assert.True(File.Exists(Path.Combine(output, "report.md")));
            Assert.True(new FileInfo(Path.Combine(output, "latency.png")).Length > 1000);
            Assert.True(new FileInfo(Path.Combine(output, "throughput.png")).Length > 1000);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
