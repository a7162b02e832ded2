namespace FaceGallery.Inference.Faces.Geometry;

/// <summary>
/// A face box as the API reports it, <c>[x, y, w, h]</c> in pixels of the upright image: the box covers
/// pixels x … x+w (exclusive), y … y+h (exclusive).
/// </summary>
public readonly record struct FaceBox(double X, double Y, double Width, double Height)
{
    public double Right => X + Width;

    public double Bottom => Y + Height;

    public double Area => Math.Max(0, Width) * Math.Max(0, Height);

    public PointD Center => new(X + Width / 2, Y + Height / 2);

    /// <summary>The dlib rectangle (inclusive integer edges) closest to this box.</summary>
    public PixelRect ToPixelRect() => new(
        (long)Math.Round(X), (long)Math.Round(Y), (long)Math.Round(Right) - 1, (long)Math.Round(Bottom) - 1);

    public double IntersectionOverUnion(FaceBox other)
    {
        var w = Math.Min(Right, other.Right) - Math.Max(X, other.X);
        var h = Math.Min(Bottom, other.Bottom) - Math.Max(Y, other.Y);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        var intersection = w * h;
        return intersection / (Area + other.Area - intersection);
    }
}
