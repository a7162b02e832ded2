namespace FaceGallery.Inference.Faces.Geometry;

/// <summary>A point in image pixel coordinates (x to the right, y down; pixel centres at integers).</summary>
public readonly record struct PointD(double X, double Y)
{
    public static PointD operator +(PointD a, PointD b) => new(a.X + b.X, a.Y + b.Y);

    public static PointD operator -(PointD a, PointD b) => new(a.X - b.X, a.Y - b.Y);

    public static PointD operator *(PointD a, double s) => new(a.X * s, a.Y * s);

    public double Length => Math.Sqrt(X * X + Y * Y);

    public static double Distance(PointD a, PointD b) => (a - b).Length;

    /// <summary>dlib's conversion of a real point to an integer pixel: <c>floor(v + 0.5)</c>.</summary>
    public PointD RoundedToPixel() => new(Math.Floor(X + 0.5), Math.Floor(Y + 0.5));
}
