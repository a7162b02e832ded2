namespace FaceGallery.Inference.Faces.Detection;

/// <summary>BlazeFace detector settings, bound from <see cref="SectionName"/>.</summary>
public sealed class BlazeFaceOptions
{
    public const string SectionName = "FaceGallery:Detector";

    /// <summary>Model folder under `models/`.</summary>
    public string Model { get; set; } = "blazeface";

    /// <summary>Detections scoring below this are dropped before suppression.</summary>
    public float MinScore { get; set; } = 0.5f;

    /// <summary>Detections overlapping a stronger one by more than this IoU are blended into it (MediaPipe uses 0.3).</summary>
    public float SuppressionIou { get; set; } = 0.3f;

    /// <summary>
    /// Besides the whole image, look at overlapping tiles of about this many input squares per side when the
    /// image is large, so faces that would shrink below the model's ~20 px minimum are still found. 0 disables tiling.
    /// </summary>
    public int MaxTilesPerSide { get; set; } = 3;

    /// <summary>Threads ONNX Runtime may use for one detection (0: its default).</summary>
    public int IntraOpNumThreads { get; set; }
}
