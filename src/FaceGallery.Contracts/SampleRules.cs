namespace FaceGallery.Contracts;

/// <summary>
/// What every stored sample must satisfy, checked at the edge (HTTP) and again in the grain, so a
/// bad vector never reaches storage whichever way it came in.
/// </summary>
public static class SampleRules
{
    /// <summary>Below this norm a vector carries no direction worth storing.</summary>
    public const float MinimumNorm = 1e-6f;

    public static void ValidateEmbedding(ReadOnlySpan<float> embedding, int dimension, string what = "embedding")
    {
        if (embedding.Length != dimension)
        {
            throw new GalleryException(ErrorCodes.InvalidEmbedding,
                $"{what} has {embedding.Length} values; this gallery's model produces {dimension}.");
        }

        double sumOfSquares = 0;
        foreach (var v in embedding)
        {
            if (!float.IsFinite(v))
            {
                throw new GalleryException(ErrorCodes.InvalidEmbedding, $"{what} contains NaN or Infinity.");
            }

            sumOfSquares += (double)v * v;
        }

        if (Math.Sqrt(sumOfSquares) < MinimumNorm)
        {
            throw new GalleryException(ErrorCodes.InvalidEmbedding, $"{what} is a zero vector.");
        }
    }

    public static void ValidateQuality(float quality, string what = "quality")
    {
        if (!float.IsFinite(quality) || quality < 0f || quality > 1f)
        {
            throw new GalleryException(ErrorCodes.InvalidQuality, $"{what} must be a number in [0, 1].");
        }
    }

    public static void ValidateId(string? id, string what = "id")
    {
        if (!GalleryIds.IsValid(id))
        {
            throw new GalleryException(ErrorCodes.InvalidId,
                $"{what} must be 1–{GalleryIds.MaxLength} characters of [A-Za-z0-9._:-].");
        }
    }

    /// <summary>Checks a batch of samples as a whole: ids, vectors, qualities, no id twice.</summary>
    public static void ValidateBatch(IReadOnlyList<FaceSample> samples, int dimension, int maxSamples)
    {
        if (samples.Count == 0)
        {
            throw new GalleryException(ErrorCodes.EmptySamples, "samples must hold at least one sample.");
        }

        if (samples.Count > maxSamples)
        {
            throw new GalleryException(ErrorCodes.TooManySamples,
                $"{samples.Count} samples in one request; the limit is {maxSamples}.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            ValidateId(sample.SampleId, $"samples[{i}].id");
            ValidateEmbedding(sample.Embedding, dimension, $"samples[{i}].embedding");
            ValidateQuality(sample.Quality, $"samples[{i}].quality");
            if (!seen.Add(sample.SampleId))
            {
                throw new GalleryException(ErrorCodes.DuplicateSampleId,
                    $"sample id '{sample.SampleId}' appears twice in one request.");
            }
        }
    }
}
