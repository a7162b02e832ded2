using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FaceGallery.Contracts;
using FaceGallery.Grains;
using FaceGallery.Server.Tenancy;
using FaceGallery.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FaceGallery.Server.Apis;

/// <summary>Identities: profile, embedding enrollment, listing and erasure.</summary>
public static class IdentitiesApi
{
    public static IEndpointRouteBuilder MapIdentitiesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/identities").WithTags("Identities");
        api.MapPut("/{id}", Upsert).WithName("UpsertIdentity").WithSummary("Create an identity or update its profile");
        api.MapGet("/{id}", Get).WithName("GetIdentity").WithSummary("An identity with its descriptor version and coreset");
        api.MapGet("/", List).WithName("ListIdentities").WithSummary("A page of identities, ordered by id");
        api.MapDelete("/{id}", Delete).WithName("DeleteIdentity").WithSummary("Erase an identity and everything derived from it");
        api.MapPost("/{id}/embeddings", EnrollEmbeddings).WithName("EnrollEmbeddings").WithSummary("Enroll precomputed face embeddings");
        api.MapDelete("/{id}/samples/{sampleId}", DeleteSample).WithName("DeleteSample").WithSummary("Remove one sample and recompute the descriptor");
        return app;
    }

    private static async Task<Ok<IdentityResponse>> Upsert(string id, IdentityUpsertRequest? body, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        var metadata = body?.Metadata;
        if (metadata is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
        {
            throw new GalleryException(ErrorCodes.InvalidRequest, "metadata must be a JSON object.");
        }

        if (body?.DisplayName is { Length: > 256 })
        {
            throw new GalleryException(ErrorCodes.InvalidRequest, "displayName is limited to 256 characters.");
        }

        var profile = new IdentityProfile(body?.DisplayName,
            metadata is { ValueKind: JsonValueKind.Object } m ? m.GetRawText() : null);
        var summary = await IdentityGrain(grains, http, id).Upsert(profile, ct);
        return TypedResults.Ok(ToResponse(summary));
    }

    private static async Task<Results<Ok<IdentityResponse>, ProblemHttpResult>> Get(string id, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        var summary = await IdentityGrain(grains, http, id).Get(ct);
        return summary is null ? NotFound(id) : TypedResults.Ok(ToResponse(summary));
    }

    private static async Task<Ok<IdentityPage>> List(HttpContext http, IGalleryStore store, int? limit, string? cursor, CancellationToken ct)
    {
        var size = limit ?? 50;
        if (size is < 1 or > 1000)
        {
            throw new GalleryException(ErrorCodes.InvalidRequest, "limit must be between 1 and 1000.");
        }

        var after = cursor is null ? null : DecodeCursor(cursor);
        var rows = await store.ListIdentitiesAsync(http.GetTenant(), size + 1, after, ct);
        var page = rows.Take(size).Select(r => new IdentityResponse(r.IdentityId, r.DisplayName, ParseMetadata(r.MetadataJson),
            r.SampleCount, r.DescriptorVersion, r.Coreset ?? [], r.CreatedAt, r.UpdatedAt)).ToArray();
        var next = rows.Count > size ? EncodeCursor(page[^1].Id) : null;
        return TypedResults.Ok(new IdentityPage(page, next));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, HttpContext http, IGrainFactory grains, CancellationToken ct) =>
        await IdentityGrain(grains, http, id).Delete(ct) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Ok<EnrollResponse>> EnrollEmbeddings(string id, EnrollEmbeddingsRequest? body, HttpContext http,
        IGrainFactory grains, IOptions<GalleryOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        var requested = body?.Samples ?? [];
        if (requested.Count > limits.MaxSamplesPerRequest)
        {
            throw new GalleryException(ErrorCodes.TooManySamples,
                $"{requested.Count} samples in one request; the limit is {limits.MaxSamplesPerRequest}.");
        }

        var samples = new FaceSample[requested.Count];
        for (var i = 0; i < samples.Length; i++)
        {
            var s = requested[i] ?? throw new GalleryException(ErrorCodes.InvalidRequest, $"samples[{i}] is null.");
            var embedding = s.Embedding ?? throw new GalleryException(ErrorCodes.InvalidEmbedding, $"samples[{i}].embedding is missing.");
            samples[i] = new FaceSample(s.Id ?? ContentSampleId(embedding), embedding, s.Quality ?? 1f, limits.EmbedderModelId);
        }

        // Checked here as well as in the grain, so bad input costs no grain activation.
        SampleRules.ValidateBatch(samples, limits.EmbeddingDimension, limits.MaxSamplesPerRequest);
        var result = await IdentityGrain(grains, http, id).Enroll(samples, ct);
        return TypedResults.Ok(new EnrollResponse(result.IdentityId, result.Accepted.Count, result.Duplicates.Count,
            result.SampleCount, result.DescriptorVersion, result.Accepted, result.Duplicates));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteSample(string id, string sampleId, HttpContext http, IGrainFactory grains, CancellationToken ct)
    {
        SampleRules.ValidateId(sampleId, "sampleId");
        var grain = IdentityGrain(grains, http, id);
        if (await grain.Get(ct) is null)
        {
            return NotFound(id);
        }

        return await grain.RemoveSample(sampleId, ct)
            ? TypedResults.NoContent()
            : ProblemMapping.Problem(ErrorCodes.NotFound, $"identity '{id}' has no sample '{sampleId}'.");
    }

    /// <summary>Validates the id and addresses the tenant's grain for it.</summary>
    internal static IIdentityGrain IdentityGrain(IGrainFactory grains, HttpContext http, string id)
    {
        SampleRules.ValidateId(id, "identity id");
        return grains.GetGrain<IIdentityGrain>(new IdentityKey(http.GetTenant(), id).GrainKey);
    }

    internal static ProblemHttpResult NotFound(string id) =>
        ProblemMapping.Problem(ErrorCodes.NotFound, $"identity '{id}' does not exist.");

    /// <summary>
    /// A sample without an id is named after its content, so resending the same embedding is a
    /// duplicate rather than a second sample.
    /// </summary>
    private static string ContentSampleId(float[] embedding)
    {
        var hash = SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(embedding.AsSpan()));
        return "e-" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    private static IdentityResponse ToResponse(IdentitySummary s) =>
        new(s.Id, s.DisplayName, ParseMetadata(s.MetadataJson), s.SampleCount, s.DescriptorVersion, s.Coreset, s.CreatedAt, s.UpdatedAt);

    private static JsonElement? ParseMetadata(string? json) =>
        json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

    private static string EncodeCursor(string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(id)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string DecodeCursor(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var id = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            SampleRules.ValidateId(id);
            return id;
        }
        catch (Exception e) when (e is FormatException or GalleryException)
        {
            throw new GalleryException(ErrorCodes.InvalidRequest, "cursor is not one this server issued.");
        }
    }
}
