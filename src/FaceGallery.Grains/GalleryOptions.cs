using System.ComponentModel.DataAnnotations;

namespace FaceGallery.Grains;

/// <summary>Limits and model facts every enrollment is checked against (section "FaceGallery").</summary>
public sealed class GalleryOptions
{
    public const string SectionName = "FaceGallery";

    /// <summary>Embedding dimension D, taken from the embedder's model manifest.</summary>
    [Range(2, 4096)]
    public int EmbeddingDimension { get; set; } = 128;

    /// <summary>Model id stored with samples enrolled as raw embeddings.</summary>
    [Required]
    public string EmbedderModelId { get; set; } = "dlib-resnet-v1";

    /// <summary>Most samples (or images) accepted in one request.</summary>
    [Range(1, 10_000)]
    public int MaxSamplesPerRequest { get; set; } = 256;

    /// <summary>Most matches one search may ask for.</summary>
    [Range(1, 10_000)]
    public int MaxSearchResults { get; set; } = 100;

    /// <summary>Cosine similarity at or above which verify answers match = true.</summary>
    [Range(-1.0, 1.0)]
    public float VerifyThreshold { get; set; } = 0.8f;
}
