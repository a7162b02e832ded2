using FaceGallery.Inference.Faces.Geometry;
using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Imaging;

namespace FaceGallery.Inference.Faces;

/// <summary>
/// One face of a photo, ready for the embedder: where it is, its dlib landmarks, the aligned 150×150
/// chip cut as dlib cuts it, and how recognizable it is.
/// </summary>
public sealed record AnalyzedFace(FaceBox Box, float DetectionScore, FaceLandmarks Landmarks, RgbImage Chip, FaceQuality Quality)
{
    /// <summary>The chip in the embedder's input type.</summary>
    public AlignedFaceChip AlignedChip => new(Chip.Pixels);
}
