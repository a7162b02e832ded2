namespace FaceGallery.Inference.Faces.Quality;

/// <summary>Which quality score the pipeline reports, bound from <see cref="SectionName"/>.</summary>
public sealed class FaceQualityOptions
{
    public const string SectionName = "FaceGallery:Quality";

    public const string LearnedEstimator = "learned";
    public const string V1Estimator = "v1";

    /// <summary>
    /// `learned` (the ONNX regressor in <see cref="Model"/>, scored after embedding) or `v1` (the hand-made
    /// <see cref="FaceQualityEstimator"/>). The default is the one that ranked held-out degraded faces better
    /// (docs/quality.md).
    /// </summary>
    public string Estimator { get; set; } = LearnedEstimator;

    /// <summary>Model folder under `models/` of the learned estimator.</summary>
    public string Model { get; set; } = "quality-dlib128-v2";

    public bool IsKnownEstimator =>
        Estimator is LearnedEstimator or V1Estimator;
}
