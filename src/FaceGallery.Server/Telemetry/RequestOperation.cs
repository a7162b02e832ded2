namespace FaceGallery.Server.Telemetry;

/// <summary>Which timed operation a request is, read from the route it matched.</summary>
internal static class RequestOperation
{
    public const string Enroll = "enroll";
    public const string Search = "search";
    public const string Verify = "verify";

    public static string? Of(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || context.GetEndpoint() is not RouteEndpoint endpoint)
        {
            return null;
        }

        var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
        return pattern switch
        {
            _ when pattern.EndsWith("/embeddings", StringComparison.Ordinal) || pattern.EndsWith("/faces", StringComparison.Ordinal) => Enroll,
            _ when pattern.EndsWith("/search", StringComparison.Ordinal) => Search,
            _ when pattern.EndsWith("/verify", StringComparison.Ordinal) => Verify,
            _ => null,
        };
    }
}
