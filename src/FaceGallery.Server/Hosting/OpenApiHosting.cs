using System.Text.Json.Nodes;
using FaceGallery.Contracts;
using FaceGallery.Server.Tenancy;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace FaceGallery.Server.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: every /v1 route with its problem+json error
/// answers (schema <c>Problem</c>, with the stable <c>code</c>), the X-Api-Key scheme and examples.
/// Scalar's reference UI is served at <c>/scalar/v1</c> in Development.
/// </summary>
public static class OpenApiHosting
{
    private const string DocumentName = "v1";
    private const string ProblemSchema = "Problem";
    private const string ProblemMediaType = "application/problem+json";
    private const string ApiKeyScheme = "ApiKey";

    public static WebApplicationBuilder AddGalleryOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                DescribeDocument(document);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                DescribeErrors(operation, context);
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    public static WebApplication MapGalleryOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }

    private static void DescribeDocument(OpenApiDocument document)
    {
        document.Info.Title = "FaceGallery HTTP API";
        document.Info.Version = "v1";
        document.Info.Description = "Face gallery over FaceCoresetNet set descriptors. Errors are RFC 9457 problem+json "
            + "with a stable `code`. Once tenants are configured every /v1 call needs `X-Api-Key`.";
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details; `code` is stable and meant for programs, the rest for people.",
            Required = new HashSet<string> { "status", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["code"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "Stable error code, e.g. invalid_embedding, no_face, not_found, unauthorized, rate_limited.",
                },
                ["rejected"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Description = "Image enrollment only: the images that gave no usable face.",
                    Items = new OpenApiSchema { Type = JsonSchemaType.Object },
                },
            },
        };
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = TenantMiddleware.ApiKeyHeader,
            Description = "The tenant's key; needed once any tenant is configured.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] });
    }

    private static void DescribeErrors(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var path = "/" + (context.Description.RelativePath ?? string.Empty).TrimStart('/');
        if (!path.StartsWith("/v1", StringComparison.Ordinal))
        {
            return;
        }

        var method = context.Description.HttpMethod ?? "GET";
        var hasBody = method is "POST" or "PUT";
        operation.Responses ??= new OpenApiResponses();
        var document = context.Document;
        Add(operation, document, 400, ErrorCodes.InvalidRequest, "The request is not valid (see code).");
        Add(operation, document, 401, ErrorCodes.Unauthorized, "Tenants are configured and X-Api-Key is missing or unknown.");
        Add(operation, document, 429, ErrorCodes.RateLimited, "This key is over its rate; see Retry-After.");
        Add(operation, document, 503, ErrorCodes.ClusterUnavailable, "The store or the owning silo is unreachable; retry.");
        if (path.Contains("{id}", StringComparison.Ordinal) || path.EndsWith("/verify", StringComparison.Ordinal))
        {
            Add(operation, document, 404, ErrorCodes.NotFound, "The identity does not exist in this tenant.");
        }

        if (hasBody)
        {
            Add(operation, document, 413, ErrorCodes.PayloadTooLarge, "The body is larger than this server accepts.");
        }

        if (path.EndsWith("/faces", StringComparison.Ordinal) || path.EndsWith("/search", StringComparison.Ordinal)
            || path.EndsWith("/verify", StringComparison.Ordinal))
        {
            Add(operation, document, 422, ErrorCodes.InvalidImage,
                "No image could be used: invalid_image, image_too_large, unsupported_media, no_face or multiple_faces.");
        }

        if (path.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            SetRequestExample(operation, new JsonObject
            {
                ["samples"] = new JsonArray(new JsonObject
                {
                    ["id"] = "passport-2019",
                    ["embedding"] = new JsonArray(0.0123, -0.0456, 0.0789),
                    ["quality"] = 0.92,
                }),
            });
        }
        else if (path.EndsWith("/search", StringComparison.Ordinal))
        {
            SetRequestExample(operation, new JsonObject
            {
                ["embeddings"] = new JsonArray(new JsonArray(0.0123, -0.0456, 0.0789)),
                ["k"] = 5,
                ["minScore"] = 0.5,
            });
        }
    }

    private static void Add(OpenApiOperation operation, OpenApiDocument? document, int status, string code, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.ContainsKey(key))
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemMediaType] = new()
                {
                    Schema = new OpenApiSchemaReference(ProblemSchema, document),
                    Example = new JsonObject
                    {
                        ["title"] = code.Replace('_', ' '),
                        ["status"] = status,
                        ["detail"] = description,
                        ["code"] = code,
                    },
                },
            },
        };
    }

    /// <summary>Examples shorten embeddings to three numbers; real ones have the model's dimension (128).</summary>
    private static void SetRequestExample(OpenApiOperation operation, JsonObject example)
    {
        if (operation.RequestBody?.Content is { } content && content.TryGetValue("application/json", out var media))
        {
            media.Example = example;
        }
    }
}
