namespace FaceGallery.Inference.Faces;

/// <summary>Face embedder settings, bound from `FaceGallery:Embedder`.</summary>
public sealed class FaceEmbedderOptions
{
    public const string SectionName = "FaceGallery:Embedder";

    /// <summary>Model folder under `models/`.</summary>
    public string Model { get; set; } = "dlib-resnet-v1";

    /// <summary>Most chips one ONNX Runtime run takes from concurrent callers.</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// How long the first queued chip waits for company before its batch runs. Chips that arrive while a
    /// batch runs are gathered anyway, so under load batches fill without this delay; it matters only for
    /// bursts that arrive a little apart.
    /// </summary>
    public TimeSpan MaxBatchDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Batches that may run at once. One suits CPU, where a run already uses every core.</summary>
    public int MaxConcurrentBatches { get; set; } = 1;

    /// <summary>Chips that may wait; further callers wait to enqueue (back-pressure instead of unbounded memory).</summary>
    public int QueueCapacity { get; set; } = 1024;
}
