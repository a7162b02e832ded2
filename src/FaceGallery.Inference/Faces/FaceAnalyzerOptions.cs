namespace FaceGallery.Inference.Faces;

/// <summary>Face pipeline settings, bound from <see cref="SectionName"/>.</summary>
public sealed class FaceAnalyzerOptions
{
    public const string SectionName = "FaceGallery:Faces";

    /// <summary>Model folder under `models/` holding the dlib 5-point shape predictor.</summary>
    public string LandmarkModel { get; set; } = "dlib-shape-predictor-5";

    /// <summary>At most this many faces (the highest scoring) are aligned per image.</summary>
    public int MaxFaces { get; set; } = 64;
}
