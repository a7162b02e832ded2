using FaceGallery.Inference.Imaging;

namespace FaceGallery.Inference.Faces.Detection;

/// <summary>Finds faces in an upright RGB image.</summary>
public interface IFaceDetector
{
    /// <summary>Detections ordered by descending score.</summary>
    IReadOnlyList<FaceDetection> Detect(RgbImage image, CancellationToken cancellationToken);
}
