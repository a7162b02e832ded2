using System.Text.Json;
using System.Text.Json.Serialization;
using FaceGallery.Server.Apis;
using Microsoft.AspNetCore.Http.Json;

namespace FaceGallery.Server.Hosting;

public static class ApiHosting
{
    /// <summary>JSON rules, problem+json and body limits for HTTP API v1.</summary>
    public static WebApplicationBuilder AddGalleryApi(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        // Bad bodies reach ProblemMapping as exceptions, so they get a stable code like every other error.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // Answers the framework writes itself (no route, wrong method, refused body) get a code too.
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemMapping.AddMissingCode);
        builder.Services.AddExceptionHandler<ProblemMapping>();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
            kestrel.Limits.MaxRequestBodySize = context.Configuration.GetValue(
                $"{ServerOptions.SectionName}:{nameof(ServerOptions.MaxRequestBytes)}", 32L * 1024 * 1024));
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // "NaN" and "Infinity" are read so they can be refused as invalid_embedding, not as bad JSON.
        json.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        json.MaxDepth = 32;
    }
}
