using System.Net;
using FaceGallery.Contracts;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Storage;
using FaceGallery.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FaceGallery.Api.Tests;

/// <summary>What was acknowledged is still there after the grain or the whole process goes away.</summary>
public sealed class DurabilityTests
{
    private static readonly SyntheticGallery Faces = new(128, seed: 3);

    [Theory]
    [InlineData(StoreKind.Embedded)]
    [InlineData(StoreKind.Postgres)]
    public async Task A_restarted_server_reloads_identities_samples_and_descriptors(StoreKind kind)
    {
        var first = await GalleryServer.StartAsync(kind);
        var dataPath = first.DataPath;
        var database = first.Database;
        long version;
        using (var client = first.CreateClient())
        {
            await client.SendAsync(HttpMethod.Put, "/v1/identities/barbara", new { displayName = "Barbara" });
            var enrolled = await client.PostAsync("/v1/identities/barbara/embeddings", ApiClient.Samples(
                ("b1", Faces.Sample("barbara"), 1f), ("b2", Faces.Sample("barbara"), 0.7f), ("b3", Faces.Sample("barbara"), 0.4f)));
            version = (long)enrolled.Body!["descriptorVersion"]!;
        }

        await first.StopKeepingDataAsync();

        await using var second = await GalleryServer.StartAsync(kind, dataPath: dataPath, database: database);
        using var again = second.CreateClient();
        var identity = await again.GetJsonAsync("/v1/identities/barbara");
        Assert.Equal(HttpStatusCode.OK, identity.Status);
        Assert.Equal("Barbara", (string?)identity.Body!["displayName"]);
        Assert.Equal(3, (int)identity.Body["sampleCount"]!);
        Assert.Equal(version, (long)identity.Body["descriptorVersion"]!);

        var search = await again.PostAsync("/v1/search", new { embeddings = new[] { Faces.Sample("barbara") }, k = 1 });
        Assert.Equal("barbara", (string?)search.Body!["matches"]![0]!["identityId"]);
        var duplicate = await again.PostAsync("/v1/identities/barbara/embeddings", ApiClient.Samples(("b2", Faces.Sample("barbara"), 1f)));
        Assert.Equal(1, (int)duplicate.Body!["duplicates"]!);
    }

    [Theory]
    [InlineData(StoreKind.Embedded)]
    [InlineData(StoreKind.Postgres)]
    public async Task Changing_the_aggregator_recomputes_every_descriptor_in_the_background(StoreKind kind)
    {
        var people = Enumerable.Range(0, 6).Select(i => $"sweep-{i}").ToArray();
        var first = await GalleryServer.StartAsync(kind, new Dictionary<string, string?> { ["FaceGallery:Aggregator"] = "quality-mean" });
        using (var client = first.CreateClient())
        {
            foreach (var person in people)
            {
                var enrolled = await client.PostAsync($"/v1/identities/{person}/embeddings", ApiClient.Samples(
                    ($"{person}-1", Faces.Sample(person), 1f), ($"{person}-2", Faces.Sample(person), 0.6f), ($"{person}-3", Faces.Sample(person), 0.3f)));
                Assert.Equal(HttpStatusCode.OK, enrolled.Status);
            }
        }

        await first.StopKeepingDataAsync();

        await using var second = await GalleryServer.StartAsync(kind, dataPath: first.DataPath, database: first.Database);
        var aggregator = second.Services.GetRequiredService<ISetAggregator>();
        Assert.NotEqual("quality-mean", aggregator.Id);
        var store = second.Services.GetRequiredService<IGalleryStore>();
        var sweeper = second.Services.GetRequiredService<IGrainFactory>().GetGrain<IDescriptorMaintenanceGrain>(0);

        // No request touches these identities: only the background sweep can bring them up to date.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await store.ListStaleDescriptorsAsync(aggregator.Id, null, 100, CancellationToken.None)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "descriptors still stale after 60 s");
            await Task.Delay(200);
        }

        var status = await sweeper.GetStatus();
        Assert.Equal(aggregator.Id, status.AggregatorId);
        Assert.Equal(people.Length, status.Recomputed);
        foreach (var person in people)
        {
            var snapshot = await store.LoadIdentityAsync(new IdentityKey("default", person), CancellationToken.None);
            Assert.Equal(aggregator.Id, snapshot!.Descriptor!.AggregatorId);
            Assert.NotEmpty(snapshot.Descriptor.Coreset);
        }
    }
}
