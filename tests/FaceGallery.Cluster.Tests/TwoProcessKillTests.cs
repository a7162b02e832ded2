using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Inference.Coreset;
using FaceGallery.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace FaceGallery.Cluster.Tests;

/// <summary>
/// Two server processes on one PostgreSQL; 200 identities × 4 samples enrolled concurrently
/// through both; one process SIGKILLed halfway while the client retries. Nothing acknowledged may
/// be lost, every descriptor must reflect all of its samples, and probes must find their identity.
/// </summary>
public sealed class TwoProcessKillTests(ITestOutputHelper output)
{
    private const int Identities = 200;
    private const int SamplesPerIdentity = 4;
    private const int Workers = 16;

    [Fact]
    public async Task Killing_one_of_two_silos_mid_enrollment_loses_no_acknowledged_sample()
    {
        await using var database = await TestPostgres.CreateAsync("fg_kill");
        var faces = new SyntheticGallery(128, seed: 42);
        await using var a = ServerProcess.StartSilo("silo-a", database);
        await using var b = ServerProcess.StartSilo("silo-b", database);
        await Task.WhenAll(a.WaitUntilReadyAsync(TimeSpan.FromMinutes(3)), b.WaitUntilReadyAsync(TimeSpan.FromMinutes(3)));
        using var httpA = new HttpClient { BaseAddress = a.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var httpB = new HttpClient { BaseAddress = b.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await WaitForActiveSilosAsync(httpA, 2);

        var work = new ConcurrentQueue<Enrollment>(Shuffle(
            from i in Enumerable.Range(0, Identities)
            from s in Enumerable.Range(0, SamplesPerIdentity)
            let id = $"person-{i:D3}"
            select new Enrollment(id, $"{id}-s{s}", faces.Sample(id), 0.25f + (s * 0.25f)), seed: 1));
        var acked = new ConcurrentBag<Enrollment>();
        var retries = 0;
        var clock = Stopwatch.StartNew();
        var half = work.Count / 2;
        var killedAt = TimeSpan.Zero;
        var recovered = TimeSpan.Zero;

        async Task Worker(int worker, int stopAt)
        {
            while (acked.Count < stopAt && work.TryDequeue(out var item))
            {
                for (var attempt = 0; ; attempt++)
                {
                    // Alternate between the two processes; once B is dead its share fails over to A.
                    var client = (worker + attempt) % 2 == 0 || b.HasExited ? httpA : httpB;
                    if (await TryEnrollAsync(client, item))
                    {
                        acked.Add(item);
                        break;
                    }

                    Interlocked.Increment(ref retries);
                    Assert.True(attempt < 200, $"{item.SampleId} kept failing");
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, 50 * (attempt + 1))));
                }
            }
        }

        // First half: both processes healthy, every identity activated somewhere in the cluster.
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Worker(w, half)));
        var identitiesOnline = acked.Select(x => x.IdentityId).Distinct().ToArray();

        // Second half: B is SIGKILLed while enrollments are in flight through both processes.
        var secondHalf = Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Worker(w, int.MaxValue)));
        while (acked.Count < half + 40)
        {
            await Task.Delay(5);
        }

        b.Kill();
        killedAt = clock.Elapsed;

        // How long until every identity answers again through the survivor (those that lived on B
        // are unreachable until membership declares B dead and they reactivate on A).
        var waiting = new HashSet<string>(identitiesOnline);
        while (waiting.Count > 0)
        {
            foreach (var id in waiting.ToArray())
            {
                if (await AnswersAsync(httpA, id))
                {
                    waiting.Remove(id);
                }
            }

            Assert.True(clock.Elapsed - killedAt < TimeSpan.FromSeconds(60), $"{waiting.Count} identities still unreachable");
        }

        recovered = clock.Elapsed - killedAt;
        await secondHalf;
        output.WriteLine($"acked {acked.Count} in {clock.Elapsed.TotalSeconds:F1} s; B SIGKILLed at {killedAt.TotalSeconds:F1} s; " +
                         $"all {identitiesOnline.Length} identities answered through A again {recovered.TotalSeconds:F1} s later; " +
                         $"{retries} enrollment retries");
        Assert.True(b.HasExited);
        Assert.Equal(Identities * SamplesPerIdentity, acked.Count);

        // Every acknowledged sample is in the database, and every descriptor covers all samples.
        await using var db = new NpgsqlConnection(database.ConnectionString);
        await db.OpenAsync();
        var stored = await ReadSamplesAsync(db);
        Assert.Equal(acked.Count, stored.Count);
        Assert.All(acked, item => Assert.True(stored.ContainsKey((item.IdentityId, item.SampleId)), $"{item.SampleId} lost"));

        // The servers run the default aggregator (FaceCoresetNet); recompute each descriptor with
        // the same model here and compare.
        await using var services = new ServiceCollection().AddLogging().AddCoresetAggregator().BuildServiceProvider();
        var aggregator = services.GetRequiredService<ISetAggregator>();
        var descriptors = await ReadDescriptorsAsync(db);
        Assert.Equal(Identities, descriptors.Count);
        foreach (var group in acked.GroupBy(x => x.IdentityId))
        {
            var (vector, count, aggregatorId) = descriptors[group.Key];
            Assert.Equal(SamplesPerIdentity, count);
            Assert.Equal(aggregator.Id, aggregatorId);
            var expected = await aggregator.AggregateAsync(
                group.Select(x => new SetMember(x.Embedding, x.Quality)).ToArray(), CancellationToken.None);
            Assert.True(SyntheticGallery.Cosine(vector, expected.Vector) > 0.9999f, $"{group.Key}'s descriptor misses a sample");
        }

        // Through the surviving process, every identity answers and is found by a fresh probe.
        for (var i = 0; i < Identities; i++)
        {
            var id = $"person-{i:D3}";
            var identity = await httpA.GetFromJsonAsync<JsonObject>($"/v1/identities/{id}");
            Assert.Equal(SamplesPerIdentity, (int)identity!["sampleCount"]!);
            using var search = await httpA.PostAsJsonAsync("/v1/search", new { embeddings = new[] { faces.Sample(id) }, k = 1 });
            var top = (await search.Content.ReadFromJsonAsync<JsonObject>())!["matches"]![0]!;
            Assert.Equal(id, (string?)top["identityId"]);
        }
    }

    private static async Task<bool> TryEnrollAsync(HttpClient client, Enrollment item)
    {
        try
        {
            using var response = await client.PostAsJsonAsync($"/v1/identities/{item.IdentityId}/embeddings",
                new { samples = new[] { new { id = item.SampleId, embedding = item.Embedding, quality = item.Quality } } });
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return true;
            }

            // Only "try again later" answers are retried; anything else is a real failure.
            Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.InternalServerError,
                $"{item.SampleId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient client, string id)
    {
        try
        {
            using var response = await client.GetAsync(new Uri($"/v1/identities/{id}", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitForActiveSilosAsync(HttpClient client, int count)
    {
        for (var i = 0; i < 100; i++)
        {
            var cluster = await client.GetFromJsonAsync<JsonObject>("/v1/cluster");
            if (cluster!["silos"]!.AsArray().Count(s => (string?)s!["status"] == "Active") == count)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the cluster never showed {count} active silos");
    }

    private static async Task<Dictionary<(string, string), float[]>> ReadSamplesAsync(NpgsqlConnection db)
    {
        await using var command = new NpgsqlCommand("SELECT identity_id, sample_id, embedding::real[] FROM face_samples", db);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<(string, string), float[]>();
        while (await reader.ReadAsync())
        {
            result[(reader.GetString(0), reader.GetString(1))] = reader.GetFieldValue<float[]>(2);
        }

        return result;
    }

    private static async Task<Dictionary<string, (float[] Vector, int Count, string AggregatorId)>> ReadDescriptorsAsync(NpgsqlConnection db)
    {
        await using var command = new NpgsqlCommand(
            "SELECT identity_id, descriptor::real[], sample_count, aggregator_id FROM identity_descriptors", db);
        await using var reader = await command.ExecuteReaderAsync();
        var result = new Dictionary<string, (float[], int, string)>();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = (reader.GetFieldValue<float[]>(1), reader.GetInt32(2), reader.GetString(3));
        }

        return result;
    }

    private static List<T> Shuffle<T>(IEnumerable<T> items, int seed)
    {
        var list = items.ToList();
        var random = new Random(seed);
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }

        return list;
    }

    private sealed record Enrollment(string IdentityId, string SampleId, float[] Embedding, float Quality);
}
