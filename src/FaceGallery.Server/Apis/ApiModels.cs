using System.Text.Json;

namespace FaceGallery.Server.Apis;

// Wire shapes of HTTP API v1 (DESIGN.md). camelCase JSON; unknown members are refused.

public sealed record IdentityUpsertRequest(string? DisplayName, JsonElement? Metadata);

public sealed record IdentityResponse(
    string Id,
    string? DisplayName,
    JsonElement? Metadata,
    int SampleCount,
    long DescriptorVersion,
    IReadOnlyList<string> Coreset,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record IdentityPage(IReadOnlyList<IdentityResponse> Items, string? NextCursor);

public sealed record EmbeddingSampleRequest(string? Id, float[]? Embedding, float? Quality);

public sealed record EnrollEmbeddingsRequest(IReadOnlyList<EmbeddingSampleRequest>? Samples);

public sealed record EnrollResponse(
    string IdentityId,
    int Accepted,
    int Duplicates,
    int SampleCount,
    long DescriptorVersion,
    IReadOnlyList<string> SampleIds,
    IReadOnlyList<string> DuplicateIds);

public sealed record SearchRequest(
    IReadOnlyList<float[]>? Embeddings,
    IReadOnlyList<float>? Qualities,
    IReadOnlyList<string>? Images,
    int? K,
    float? MinScore);

public sealed record SearchMatch(string IdentityId, float Score);

public sealed record ProbeFace(int[] Box, float Quality);

public sealed record ProbeInfo(int Count, IReadOnlyList<ProbeFace> Faces);

public sealed record SearchResponse(IReadOnlyList<SearchMatch> Matches, ProbeInfo Probe);

public sealed record VerifyRequest(
    string? IdentityId,
    IReadOnlyList<float[]>? Embeddings,
    IReadOnlyList<float>? Qualities,
    IReadOnlyList<string>? Images);

public sealed record VerifyResponse(string IdentityId, float Score, bool Match, float Threshold);

/// <summary>A silo as membership sees it; <paramref name="Activations"/> counts its identity activations, when the silos answered in time.</summary>
public sealed record SiloInfo(string Address, string Name, string Status, string Accelerator, int? Activations = null);

public sealed record ClusterResponse(IReadOnlyList<SiloInfo> Silos);

public sealed record EnrolledFace(string SampleId, int[] Box, float Quality, int Index);

public sealed record RejectedImage(int Index, string Code, string Detail);

public sealed record FaceEnrollResponse(
    string IdentityId,
    int Accepted,
    int Duplicates,
    int SampleCount,
    long DescriptorVersion,
    IReadOnlyList<string> SampleIds,
    IReadOnlyList<string> DuplicateIds,
    IReadOnlyList<EnrolledFace> Faces,
    IReadOnlyList<RejectedImage> Rejected);
