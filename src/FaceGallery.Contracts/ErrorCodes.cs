namespace FaceGallery.Contracts;

/// <summary>
/// Stable machine-readable error codes, sent as the <c>code</c> member of problem+json answers.
/// Clients branch on these; never rename one.
/// </summary>
public static class ErrorCodes
{
    public const string InvalidId = "invalid_id";
    public const string InvalidEmbedding = "invalid_embedding";
    public const string InvalidQuality = "invalid_quality";
    public const string InvalidRequest = "invalid_request";
    public const string EmptySamples = "empty_samples";
    public const string TooManySamples = "too_many_samples";
    public const string DuplicateSampleId = "duplicate_sample_id";
    public const string InvalidK = "invalid_k";
    public const string MalformedJson = "malformed_json";
    public const string PayloadTooLarge = "payload_too_large";
    public const string NotFound = "not_found";
    public const string NoDescriptor = "no_descriptor";
    public const string NoFace = "no_face";
    public const string MultipleFaces = "multiple_faces";
    public const string ImageTooLarge = "image_too_large";
    public const string UnsupportedMedia = "unsupported_media";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string InvalidImage = "invalid_image";
    public const string Unauthorized = "unauthorized";
    public const string RateLimited = "rate_limited";
    public const string StorageUnavailable = "storage_unavailable";
    public const string ClusterUnavailable = "cluster_unavailable";
    public const string Internal = "internal_error";
}
