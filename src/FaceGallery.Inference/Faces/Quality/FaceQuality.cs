namespace FaceGallery.Inference.Faces.Quality;

/// <summary>
/// How recognizable a face is, in [0, 1] (1 = best), with the cues it was computed from so callers and
/// evaluations can see why. See docs/quality.md for the formula and its rationale.
/// </summary>
public sealed record FaceQuality(
    float Score,
    float Confidence,
    float Resolution,
    float Sharpness,
    float Pose,
    double InterOcularDistance,
    double LaplacianVariance,
    double YawAsymmetry,
    double PitchDeviation);
