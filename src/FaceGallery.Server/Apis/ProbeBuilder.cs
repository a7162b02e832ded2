using FaceGallery.Contracts;
using FaceGallery.Grains;
using FaceGallery.Grains.Placement;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Server.Hosting;
using Microsoft.Extensions.Options;

namespace FaceGallery.Server.Apis;

/// <summary>A probe's descriptor, how many faces went into it, and the faces found in its images.</summary>
public sealed record Probe(float[] Vector, int Count, IReadOnlyList<ProbeFace> Faces);

/// <summary>
/// Turns the probe part of a search or verify request into one descriptor, with the same
/// aggregator that built the gallery's descriptors, so probe and gallery share one space. Images go
/// through the same (placed) face pipeline as enrollment; each contributes its largest face.
/// </summary>
public sealed class ProbeBuilder(ISetAggregator aggregator, InferenceRouter router, IOptions<GalleryOptions> options,
    IOptions<ImageRequestOptions> imageOptions)
{
    public async Task<Probe> BuildAsync(IReadOnlyList<float[]>? embeddings, IReadOnlyList<float>? qualities,
        IReadOnlyList<string>? images, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        var members = new List<SetMember>();
        var faces = new List<ProbeFace>();
        if (images is { Count: > 0 })
        {
            var inputs = ImageInputs.FromBase64(images, imageOptions.Value);
            var (analysed, _) = await ImageInputs.AnalyzeAsync(inputs, aligned: false, router, cancellationToken);
            for (var i = 0; i < analysed.Count; i++)
            {
                if (analysed[i].ErrorCode is { } code && embeddings is not { Count: > 0 } && analysed.All(a => a.ErrorCode is not null))
                {
                    // Nothing usable anywhere in the probe: answer with the first image's reason.
                    throw new GalleryException(code, $"images[{i}]: {analysed[i].ErrorDetail}");
                }

                if (analysed[i].Faces is [var face, ..])
                {
                    members.Add(new SetMember(face.Embedding, Math.Clamp(face.Quality, 0f, 1f)));
                    faces.Add(new ProbeFace(face.Box, face.Quality));
                }
            }
        }

        if (embeddings is { Count: > 0 })
        {
            AddEmbeddings(embeddings, qualities, limits, members);
        }
        else if (members.Count == 0)
        {
            throw new GalleryException(ErrorCodes.EmptySamples, "a probe needs at least one embedding (or image).");
        }

        var vector = members.Count == 1
            ? VectorMath.Normalized(members[0].Embedding.Span)
            : (await aggregator.AggregateAsync(members, cancellationToken)).Vector;
        return new Probe(vector, members.Count, faces);
    }

    private static void AddEmbeddings(IReadOnlyList<float[]> embeddings, IReadOnlyList<float>? qualities, GalleryOptions limits, List<SetMember> members)
    {
        if (embeddings.Count > limits.MaxSamplesPerRequest)
        {
            throw new GalleryException(ErrorCodes.TooManySamples,
                $"{embeddings.Count} probe embeddings; the limit is {limits.MaxSamplesPerRequest}.");
        }

        if (qualities is not null && qualities.Count != embeddings.Count)
        {
            throw new GalleryException(ErrorCodes.InvalidQuality,
                $"qualities has {qualities.Count} values for {embeddings.Count} embeddings.");
        }

        for (var i = 0; i < embeddings.Count; i++)
        {
            var embedding = embeddings[i] ?? throw new GalleryException(ErrorCodes.InvalidEmbedding, $"embeddings[{i}] is null.");
            SampleRules.ValidateEmbedding(embedding, limits.EmbeddingDimension, $"embeddings[{i}]");
            var quality = qualities?[i] ?? 1f;
            SampleRules.ValidateQuality(quality, $"qualities[{i}]");
            members.Add(new SetMember(embedding, quality));
        }
    }
}
