using FaceGallery.Inference.Faces.Geometry;

namespace FaceGallery.Inference.Faces.Landmarks;

/// <summary>
/// dlib's five face landmarks in image pixels. Index 0/1: outer/inner corner of the eye on the
/// image's right; 2/3: outer/inner corner of the eye on the image's left; 4: base of the nose.
/// </summary>
public sealed record FaceLandmarks(IReadOnlyList<PointD> Points)
{
    public const int Count = 5;

    public PointD RightEyeOuter => Points[0];

    public PointD RightEyeInner => Points[1];

    public PointD LeftEyeOuter => Points[2];

    public PointD LeftEyeInner => Points[3];

    public PointD Nose => Points[4];

    /// <summary>Centre of the eye on the image's right (mean of its two corners).</summary>
    public PointD ImageRightEye => (RightEyeOuter + RightEyeInner) * 0.5;

    /// <summary>Centre of the eye on the image's left.</summary>
    public PointD ImageLeftEye => (LeftEyeOuter + LeftEyeInner) * 0.5;

    /// <summary>Distance between the eye centres in pixels: the usual measure of face resolution.</summary>
    public double InterOcularDistance => PointD.Distance(ImageRightEye, ImageLeftEye);

    /// <summary>The points rounded to whole pixels, as dlib's <c>full_object_detection</c> stores them.</summary>
    public FaceLandmarks RoundedToPixels() => new(Points.Select(p => p.RoundedToPixel()).ToArray());
}
