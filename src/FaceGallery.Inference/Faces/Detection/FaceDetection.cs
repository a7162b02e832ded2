using FaceGallery.Inference.Faces.Geometry;

namespace FaceGallery.Inference.Faces.Detection;

/// <summary>
/// One face found by a detector: its box in image pixels, the detector's confidence in [0, 1], and the
/// detector's own coarse keypoints (BlazeFace: eye on the image's left, eye on the image's right, nose
/// tip, mouth, ear on the image's left, ear on the image's right).
/// </summary>
public sealed record FaceDetection(FaceBox Box, float Score, IReadOnlyList<PointD> Keypoints);
