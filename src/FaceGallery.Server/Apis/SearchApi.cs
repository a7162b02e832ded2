using System.Numerics.Tensors;
using FaceGallery.Contracts;
using FaceGallery.Grains;
using FaceGallery.Server.Tenancy;
using FaceGallery.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FaceGallery.Server.Apis;

/// <summary>1:N search over the tenant's gallery and 1:1 verification against one identity.</summary>
public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/search", Search).WithTags("Search").WithName("Search")
            .WithSummary("Find the identities most like a probe (embeddings or images)");
        app.MapPost("/v1/verify", Verify).WithTags("Search").WithName("Verify")
            .WithSummary("Score a probe against one identity");
        return app;
    }

    private static async Task<Ok<SearchResponse>> Search(SearchRequest body, HttpContext http, ProbeBuilder probes,
        IGalleryStore store, IOptions<GalleryOptions> options, CancellationToken ct)
    {
        var k = body.K ?? 10;
        var max = options.Value.MaxSearchResults;
        if (k < 1 || k > max)
        {
            throw new GalleryException(ErrorCodes.InvalidK, $"k must be between 1 and {max}.");
        }

        if (body.MinScore is { } minScore && (!float.IsFinite(minScore) || minScore < -1f || minScore > 1f))
        {
            throw new GalleryException(ErrorCodes.InvalidRequest, "minScore must be a number in [-1, 1].");
        }

        var probe = await probes.BuildAsync(body.Embeddings, body.Qualities, body.Images, ct);
        var hits = await store.SearchAsync(http.GetTenant(), probe.Vector, k, ct);
        var matches = hits
            .Where(h => body.MinScore is null || h.Score >= body.MinScore)
            .Select(h => new SearchMatch(h.IdentityId, h.Score))
            .ToArray();
        return TypedResults.Ok(new SearchResponse(matches, new ProbeInfo(probe.Count, probe.Faces)));
    }

    private static async Task<Results<Ok<VerifyResponse>, ProblemHttpResult>> Verify(VerifyRequest body, HttpContext http,
        ProbeBuilder probes, IGrainFactory grains, IOptions<GalleryOptions> options, CancellationToken ct)
    {
        var id = body.IdentityId ?? throw new GalleryException(ErrorCodes.InvalidId, "identityId is required.");
        var grain = IdentitiesApi.IdentityGrain(grains, http, id);
        var probe = await probes.BuildAsync(body.Embeddings, body.Qualities, body.Images, ct);
        var descriptor = await grain.GetDescriptor(ct);
        if (descriptor is null)
        {
            return await grain.Get(ct) is null
                ? IdentitiesApi.NotFound(id)
                : ProblemMapping.Problem(ErrorCodes.NoDescriptor, $"identity '{id}' has no samples yet.");
        }

        var score = TensorPrimitives.CosineSimilarity(probe.Vector, descriptor.Vector);
        var threshold = options.Value.VerifyThreshold;
        return TypedResults.Ok(new VerifyResponse(id, score, score >= threshold, threshold));
    }
}
