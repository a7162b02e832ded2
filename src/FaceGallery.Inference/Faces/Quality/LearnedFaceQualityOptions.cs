namespace FaceGallery.Inference.Faces.Quality;

/// <summary>Which quality score the pipeline reports, bound from `FaceGallery:Quality`.</summary>
public sealed class FaceQualityOptions
{
    public const string SectionName = "FaceGallery:Quality";

    /// <summary>`learned` (the ONNX regressor in <see cref="Model"/>) or `v1` (the hand-made <see cref="FaceQualityEstimator"/>).</summary>
    public string Estimator { get; set; } = LearnedEstimator;

    /// <summary>Model folder under `models/` of the learned estimator.</summary>
    public string Model { get; set; } = "quality-dlib128-v1";

    public const string LearnedEstimator = "learned";
    public const string V1Estimator = "v1";
}
