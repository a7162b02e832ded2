namespace FaceGallery.Inference.Faces.Alignment;

/// <summary>
/// Where a chip is cut from an image (dlib's <c>chip_details</c>): a rectangle in image pixels,
/// rotated by <see cref="Angle"/> radians about its centre, resampled to Rows × Cols pixels.
/// </summary>
public sealed record ChipDetails(ChipRect Rect, double Angle, int Rows, int Cols)
{
    public int Size => Rows * Cols;
}
