using FaceGallery.Inference.Faces.Geometry;

namespace FaceGallery.Inference.Faces;

/// <summary>
/// A face through the whole pipeline: where it is, the detector's score, the embedder's raw descriptor of its
/// chip, and its quality in [0, 1] from the configured estimator, which <paramref name="QualityEstimator"/> names.
/// </summary>
public sealed record EmbeddedFace(FaceBox Box, float DetectionScore, float[] Embedding, float Quality, string QualityEstimator);
