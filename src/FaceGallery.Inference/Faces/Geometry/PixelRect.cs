namespace FaceGallery.Inference.Faces.Geometry;

/// <summary>
/// An integer rectangle with inclusive edges, as dlib's <c>rectangle</c>: width = Right − Left + 1.
/// The shape predictor was trained on such boxes from dlib's face detectors.
/// </summary>
public readonly record struct PixelRect(long Left, long Top, long Right, long Bottom)
{
    public long Width => Right - Left + 1;

    public long Height => Bottom - Top + 1;

    public bool IsEmpty => Left > Right || Top > Bottom;

    public FaceBox ToFaceBox() => new(Left, Top, Width, Height);
}
