using System.Text.Json;
using FaceGallery.Contracts;

namespace FaceGallery.Storage;

/// <summary>
/// Checks both stores apply at their boundary. The API and the grain validate first; the store
/// checks again because it is the last place a bad id or vector can be stopped before it is durable.
/// </summary>
internal static class StoreArguments
{
    /// <summary>pgvector's HNSW scan cannot return more rows than ef_search, whose ceiling is 1000.</summary>
    public const int MaxK = 1000;

    // The API asks for one row more than a page to learn whether another page follows.
    public const int MaxPageSize = 1001;

    public static void Key(IdentityKey key)
    {
        SampleRules.ValidateId(key.Tenant, "tenant");
        SampleRules.ValidateId(key.IdentityId, "identity id");
    }

    public static void Tenant(string tenant) => SampleRules.ValidateId(tenant, "tenant");

    public static void Profile(IdentityProfile profile)
    {
        if (profile.MetadataJson is null)
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(profile.MetadataJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return;
            }
        }
        catch (JsonException)
        {
        }

        throw new GalleryException(ErrorCodes.InvalidRequest, "metadata must be a JSON object.");
    }

    public static void Samples(IReadOnlyList<FaceSample> samples, int dimension)
    {
        SampleRules.ValidateBatch(samples, dimension, int.MaxValue);
        foreach (var sample in samples)
        {
            if (string.IsNullOrEmpty(sample.ModelId))
            {
                throw new GalleryException(ErrorCodes.InvalidRequest, $"sample '{sample.SampleId}' names no model.");
            }
        }
    }

    public static void Descriptor(StoredDescriptor descriptor, int dimension)
    {
        SampleRules.ValidateEmbedding(descriptor.Vector, dimension, "descriptor");
        if (descriptor.Version < 0 || descriptor.SampleCount < 0)
        {
            throw new GalleryException(ErrorCodes.InvalidRequest, "descriptor version and sample count cannot be negative.");
        }

        if (string.IsNullOrEmpty(descriptor.AggregatorId))
        {
            throw new GalleryException(ErrorCodes.InvalidRequest, "descriptor names no aggregator.");
        }
    }

    public static void Search(ReadOnlySpan<float> probe, int k, int dimension)
    {
        SampleRules.ValidateEmbedding(probe, dimension, "probe");
        if (k is < 1 or > MaxK)
        {
            throw new GalleryException(ErrorCodes.InvalidK, $"k must be between 1 and {MaxK}.");
        }
    }

    public static void Page(int limit)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            throw new GalleryException(ErrorCodes.InvalidRequest, $"limit must be between 1 and {MaxPageSize}.");
        }
    }
}
