using System.Net;
using FaceGallery.Testing;

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
}
