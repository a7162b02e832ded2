using System.Security.Cryptography;
using FaceGallery.Contracts;
using FaceGallery.Grains;
using FaceGallery.Grains.Placement;
using FaceGallery.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FaceGallery.Server.Apis;

/// <summary>Enrollment from images: decode → detect → align → embed → quality, then the identity grain.</summary>
public static class FacesApi
{
    /// <summary>Names the response header that says which silo's models analysed the images.</summary>
    public const string InferenceSiloHeader = "X-FaceGallery-Inference-Silo";

    public static IEndpointRouteBuilder MapFacesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/identities/{id}/faces", EnrollFaces).WithTags("Identities").WithName("EnrollFaces")
            .WithSummary("Enroll faces from images (multipart 'images' files or JSON {images:[base64]})")
            .DisableAntiforgery();
        return app;
    }

    /// <param name="aligned">Each image is already an aligned 150×150 chip (dlib layout): no detection.</param>
    /// <param name="multipleFaces">"largest" (default) enrolls the largest face; "reject" refuses such images.</param>
    private static async Task<Results<Ok<FaceEnrollResponse>, ProblemHttpResult>> EnrollFaces(string id, HttpContext http,
        IGrainFactory grains, InferenceRouter router, IOptions<GalleryOptions> gallery, IOptions<ImageRequestOptions> imageOptions,
        bool? aligned, string? multipleFaces, CancellationToken ct)
    {
        var grain = IdentitiesApi.IdentityGrain(grains, http, id);
        var rejectMultiple = multipleFaces switch
        {
            null or "largest" => false,
            "reject" => true,
            _ => throw new GalleryException(ErrorCodes.InvalidRequest, "multipleFaces must be 'largest' or 'reject'."),
        };

        var inputs = await ImageInputs.ReadAsync(http.Request, imageOptions.Value, ct);
        var (images, silo) = await ImageInputs.AnalyzeAsync(inputs, aligned ?? false, router, ct);
        http.Response.Headers[InferenceSiloHeader] = silo;

        var samples = new List<FaceSample>();
        var faces = new List<EnrolledFace>();
        var rejected = new List<RejectedImage>();
        var repeated = new List<string>();
        for (var i = 0; i < images.Count; i++)
        {
            var image = images[i];
            if (image.ErrorCode is { } code)
            {
                rejected.Add(new RejectedImage(i, code, image.ErrorDetail ?? code));
                continue;
            }

            if (rejectMultiple && image.Faces.Count > 1)
            {
                rejected.Add(new RejectedImage(i, ErrorCodes.MultipleFaces, $"the image shows {image.Faces.Count} faces; send one face per image."));
                continue;
            }

            var face = image.Faces[0];
            var hash = Convert.ToHexStringLower(SHA256.HashData(inputs[i].Bytes!));
            var sampleId = "i-" + hash[..24];
            faces.Add(new EnrolledFace(sampleId, face.Box, face.Quality, i));
            // The same image twice in one request is one sample; the repeat counts as a duplicate.
            if (samples.Any(s => s.SampleId == sampleId))
            {
                repeated.Add(sampleId);
                continue;
            }

            samples.Add(new FaceSample(sampleId, face.Embedding, Math.Clamp(face.Quality, 0f, 1f), gallery.Value.EmbedderModelId, hash));
        }

        if (samples.Count == 0)
        {
            var first = rejected[0];
            return TypedResults.Problem(detail: $"no image yielded a usable face; images[{first.Index}]: {first.Detail}",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: first.Code.Replace('_', ' '),
                extensions: new Dictionary<string, object?> { ["code"] = first.Code, ["rejected"] = rejected });
        }

        var result = await grain.Enroll(samples, ct);
        var duplicates = result.Duplicates.Concat(repeated).ToArray();
        return TypedResults.Ok(new FaceEnrollResponse(result.IdentityId, result.Accepted.Count, duplicates.Length,
            result.SampleCount, result.DescriptorVersion, result.Accepted, duplicates, faces, rejected));
    }
}
