using FaceGallery.Contracts;
using FaceGallery.Grains;
using FaceGallery.Inference.Aggregation;
using Microsoft.Extensions.Options;

namespace FaceGallery.Server.Apis;

/// <summary>
/// Turns the probe part of a search or verify request into one descriptor, with the same
/// aggregator that built the gallery's descriptors, so probe and gallery share one space.
/// </summary>
public sealed class ProbeBuilder(ISetAggregator aggregator, IOptions<GalleryOptions> options)
{
    public async Task<float[]> BuildAsync(IReadOnlyList<float[]>? embeddings, IReadOnlyList<float>? qualities,
        IReadOnlyList<string>? images, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (images is { Count: > 0 })
        {
            throw new GalleryException(ErrorCodes.UnsupportedMedia,
                "image probes need the face pipeline, which this server has not loaded; send embeddings.");
        }

        if (embeddings is null || embeddings.Count == 0)
        {
            throw new GalleryException(ErrorCodes.EmptySamples, "a probe needs at least one embedding (or image).");
        }

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

        var members = new SetMember[embeddings.Count];
        for (var i = 0; i < members.Length; i++)
        {
            var embedding = embeddings[i] ?? throw new GalleryException(ErrorCodes.InvalidEmbedding, $"embeddings[{i}] is null.");
            SampleRules.ValidateEmbedding(embedding, limits.EmbeddingDimension, $"embeddings[{i}]");
            var quality = qualities?[i] ?? 1f;
            SampleRules.ValidateQuality(quality, $"qualities[{i}]");
            members[i] = new SetMember(embedding, quality);
        }

        if (members.Length == 1)
        {
            return VectorMath.Normalized(members[0].Embedding.Span);
        }

        var set = await aggregator.AggregateAsync(members, cancellationToken);
        return set.Vector;
    }
}
