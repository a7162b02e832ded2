using FaceGallery.Contracts;
using FaceGallery.Grains.Faces;
using FaceGallery.Server.Hosting;

namespace FaceGallery.Server.Apis;

/// <summary>One image of a request: its bytes, or why it could not even be read.</summary>
public sealed record ImageInput(int Index, byte[]? Bytes, string? ErrorCode = null, string? ErrorDetail = null);

/// <summary>Reads the images of a request (multipart files or base64 strings) under the request limits.</summary>
public static class ImageInputs
{
    public const string FormField = "images";

    public static async Task<IReadOnlyList<ImageInput>> ReadAsync(HttpRequest request, ImageRequestOptions limits, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var files = form.Files.GetFiles(FormField);
            CheckCount(files.Count, limits);
            var inputs = new ImageInput[files.Count];
            for (var i = 0; i < files.Count; i++)
            {
                using var buffer = new MemoryStream((int)files[i].Length);
                await files[i].CopyToAsync(buffer, cancellationToken);
                inputs[i] = new ImageInput(i, buffer.ToArray());
            }

            return inputs;
        }

        if (!request.HasJsonContentType())
        {
            throw new GalleryException(ErrorCodes.UnsupportedMedia, "send multipart/form-data with 'images' files, or application/json {\"images\":[base64…]}.");
        }

        var body = await request.ReadFromJsonAsync<ImagesRequest>(cancellationToken)
            ?? throw new GalleryException(ErrorCodes.InvalidRequest, "the body must be {\"images\":[base64…]} or multipart images.");
        return FromBase64(body.Images, limits);
    }

    public static IReadOnlyList<ImageInput> FromBase64(IReadOnlyList<string>? images, ImageRequestOptions limits)
    {
        var list = images ?? [];
        CheckCount(list.Count, limits);
        var inputs = new ImageInput[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            inputs[i] = TryBase64(list[i]) is { } bytes
                ? new ImageInput(i, bytes)
                : new ImageInput(i, null, ErrorCodes.InvalidImage, $"images[{i}] is not base64.");
        }

        return inputs;
    }

    /// <summary>Runs the readable images through the (placed) pipeline; per-image results in request order.</summary>
    public static async Task<(IReadOnlyList<ImageFaces> Images, string Silo)> AnalyzeAsync(
        IReadOnlyList<ImageInput> inputs, bool aligned, Grains.Placement.InferenceRouter router, CancellationToken cancellationToken)
    {
        var readable = inputs.Where(i => i.Bytes is not null).ToArray();
        var results = new ImageFaces[inputs.Count];
        var silo = "";
        if (readable.Length > 0)
        {
            var batch = await router.AnalyzeAsync(readable.Select(i => new FaceImage(i.Bytes!, aligned)).ToArray(), cancellationToken);
            silo = batch.Silo;
            for (var j = 0; j < readable.Length; j++)
            {
                results[readable[j].Index] = batch.Images[j];
            }
        }

        foreach (var unreadable in inputs.Where(i => i.Bytes is null))
        {
            results[unreadable.Index] = new ImageFaces([], unreadable.ErrorCode, unreadable.ErrorDetail);
        }

        return (results, silo);
    }

    private static void CheckCount(int count, ImageRequestOptions limits)
    {
        if (count == 0)
        {
            throw new GalleryException(ErrorCodes.EmptySamples, $"send at least one image (multipart field '{FormField}' or JSON images).");
        }

        if (count > limits.MaxImagesPerRequest)
        {
            throw new GalleryException(ErrorCodes.TooManySamples, $"{count} images in one request; the limit is {limits.MaxImagesPerRequest}.");
        }
    }

    private static byte[]? TryBase64(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        // data: URLs are what browsers hand out; accept them by their payload.
        var comma = text.StartsWith("data:", StringComparison.Ordinal) ? text.IndexOf(',', StringComparison.Ordinal) : -1;
        try
        {
            return Convert.FromBase64String(comma >= 0 ? text[(comma + 1)..] : text);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record ImagesRequest(IReadOnlyList<string>? Images);
}
