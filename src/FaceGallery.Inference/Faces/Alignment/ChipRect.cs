using FaceGallery.Inference.Faces.Geometry;

namespace FaceGallery.Inference.Faces.Alignment;

/// <summary>A real-valued rectangle with dlib's <c>drectangle</c> conventions (width = Right − Left + 1).</summary>
public readonly record struct ChipRect(double Left, double Top, double Right, double Bottom)
{
    public double Width => IsEmpty ? 0 : Right - Left + 1;

    public double Height => IsEmpty ? 0 : Bottom - Top + 1;

    public double Area => Width * Height;

    public bool IsEmpty => Top > Bottom || Left > Right;

    public PointD Center => new((Left + Right) / 2.0, (Top + Bottom) / 2.0);

    public PointD TopLeft => new(Left, Top);

    public PointD TopRight => new(Right, Top);

    public PointD BottomLeft => new(Left, Bottom);

    public PointD BottomRight => new(Right, Bottom);

    /// <summary>dlib's <c>centered_drect</c>: a rectangle of the given width and height around <paramref name="center"/>.</summary>
    public static ChipRect Centered(PointD center, double width, double height)
    {
        width--;
        height--;
        return new ChipRect(center.X - width / 2, center.Y - height / 2, center.X + width / 2, center.Y + height / 2);
    }

    public ChipRect Translate(double dx, double dy) => new(Left + dx, Top + dy, Right + dx, Bottom + dy);

    public ChipRect Grow(double amount) => new(Left - amount, Top - amount, Right + amount, Bottom + amount);

    public ChipRect Intersect(ChipRect other) => new(
        Math.Max(Left, other.Left), Math.Max(Top, other.Top), Math.Min(Right, other.Right), Math.Min(Bottom, other.Bottom));

    /// <summary>The smallest rectangle holding all the points (dlib's <c>drectangle += point</c> from empty).</summary>
    public static ChipRect Bounding(ReadOnlySpan<PointD> points)
    {
        double l = double.PositiveInfinity, t = double.PositiveInfinity;
        double r = double.NegativeInfinity, b = double.NegativeInfinity;
        foreach (var p in points)
        {
            l = Math.Min(l, p.X);
            t = Math.Min(t, p.Y);
            r = Math.Max(r, p.X);
            b = Math.Max(b, p.Y);
        }

        return new ChipRect(l, t, r, b);
    }

    /// <summary>dlib's conversion to an integer rectangle: each edge rounded with <c>floor(v + 0.5)</c>.</summary>
    public PixelRect ToPixelRect() => new(
        (long)Math.Floor(Left + 0.5), (long)Math.Floor(Top + 0.5), (long)Math.Floor(Right + 0.5), (long)Math.Floor(Bottom + 0.5));

    public static ChipRect From(PixelRect rect) => new(rect.Left, rect.Top, rect.Right, rect.Bottom);
}
