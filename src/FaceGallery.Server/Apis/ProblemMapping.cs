using System.Text.Json;
using FaceGallery.Contracts;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FaceGallery.Server.Apis;

/// <summary>
/// Turns every failure into RFC 9457 problem+json with a stable <c>code</c> member, whether it
/// was raised here, inside a grain on another silo, or by the framework while reading the body.
/// </summary>
public sealed partial class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = Classify(exception);
        if (status >= 500)
        {
            LogServerError(logger, exception, code);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = TitleFor(code),
                Detail = detail,
                Extensions = { ["code"] = code },
            },
        });
    }

    /// <summary>A problem result for handlers that decide on an error without throwing.</summary>
    public static ProblemHttpResult Problem(string code, string detail, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: StatusFor(code), title: TitleFor(code), extensions: all);
    }

    /// <summary>Gives a problem written without a code (by routing or status-code pages) the code of its status.</summary>
    public static void AddMissingCode(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!problem.Extensions.ContainsKey("code"))
        {
            problem.Extensions["code"] = CodeFor(problem.Status ?? context.HttpContext.Response.StatusCode);
        }
    }

    /// <summary>The code a bare status stands for, when nothing more precise is known.</summary>
    public static string CodeFor(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => ErrorCodes.Unauthorized,
        StatusCodes.Status404NotFound => ErrorCodes.NotFound,
        StatusCodes.Status405MethodNotAllowed => ErrorCodes.MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => ErrorCodes.PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => ErrorCodes.UnsupportedMedia,
        StatusCodes.Status429TooManyRequests => ErrorCodes.RateLimited,
        StatusCodes.Status503ServiceUnavailable => ErrorCodes.ClusterUnavailable,
        >= 500 => ErrorCodes.Internal,
        _ => ErrorCodes.InvalidRequest,
    };

    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.NotFound => StatusCodes.Status404NotFound,
        ErrorCodes.NoDescriptor => StatusCodes.Status409Conflict,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.UnsupportedMedia => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        // An image the pipeline cannot use is 422 on every endpoint, as /faces answers when no image is usable;
        // 413 stays for a request body over the server's limit.
        ErrorCodes.NoFace or ErrorCodes.MultipleFaces or ErrorCodes.InvalidImage or ErrorCodes.ImageTooLarge => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.StorageUnavailable or ErrorCodes.ClusterUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.Internal => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    private static (int Status, string Code, string Detail) Classify(Exception exception) => exception switch
    {
        GalleryException gallery => (StatusFor(gallery.Code), gallery.Code, gallery.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, ErrorCodes.PayloadTooLarge, "The request body is larger than this server accepts."),
        BadHttpRequestException { InnerException: JsonException json } =>
            (400, ErrorCodes.MalformedJson, $"The body is not valid JSON for this request: {json.Message}"),
        BadHttpRequestException bad => (bad.StatusCode, CodeFor(bad.StatusCode), bad.Message),
        JsonException json => (400, ErrorCodes.MalformedJson, json.Message),
        OrleansMessageRejectionException or SiloUnavailableException or TimeoutException =>
            (503, ErrorCodes.ClusterUnavailable, "The silo that owns this identity is not reachable; retry shortly."),
        OperationCanceledException => (503, ErrorCodes.ClusterUnavailable, "The request was cancelled before it completed."),
        _ => (500, ErrorCodes.Internal, "An unexpected error occurred."),
    };

    private static string TitleFor(string code) => code.Replace('_', ' ');

    [LoggerMessage(2000, LogLevel.Error, "Request failed with {Code}")]
    private static partial void LogServerError(ILogger logger, Exception exception, string code);
}
