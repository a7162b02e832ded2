namespace FaceGallery.Inference.Faces.Geometry;

/// <summary>
/// p ↦ M·p + t for a 2×2 matrix M = [[M00, M01], [M10, M11]], as dlib's <c>point_transform_affine</c>.
/// </summary>
public readonly record struct AffineTransform(double M00, double M01, double M10, double M11, double Tx, double Ty)
{
    public static AffineTransform Identity => new(1, 0, 0, 1, 0, 0);

    public PointD Apply(PointD p) => new(M00 * p.X + M01 * p.Y + Tx, M10 * p.X + M11 * p.Y + Ty);

    /// <summary>
    /// The least-squares similarity transform (scale, rotation, translation; no reflection) taking
    /// <paramref name="from"/> onto <paramref name="to"/> — the transform dlib's
    /// <c>find_similarity_transform</c> obtains with Umeyama's SVD method. In two dimensions the optimum
    /// has the closed form M = [[a, −b], [b, a]] with a = Σ u·v / Σ|u|², b = Σ u×v / Σ|u|² over centred
    /// points u (from) and v (to), which equals Umeyama's c·R including his reflection guard.
    /// </summary>
    public static AffineTransform FindSimilarity(ReadOnlySpan<PointD> from, ReadOnlySpan<PointD> to)
    {
        if (from.Length != to.Length || from.Length < 2)
        {
            throw new ArgumentException("need at least two point pairs of equal count");
        }

        double fx = 0, fy = 0, tx = 0, ty = 0;
        for (var i = 0; i < from.Length; i++)
        {
            fx += from[i].X;
            fy += from[i].Y;
            tx += to[i].X;
            ty += to[i].Y;
        }

        var n = from.Length;
        fx /= n;
        fy /= n;
        tx /= n;
        ty /= n;
        double dot = 0, cross = 0, norm = 0;
        for (var i = 0; i < from.Length; i++)
        {
            var ux = from[i].X - fx;
            var uy = from[i].Y - fy;
            var vx = to[i].X - tx;
            var vy = to[i].Y - ty;
            dot += ux * vx + uy * vy;
            cross += ux * vy - uy * vx;
            norm += ux * ux + uy * uy;
        }

        double a = 1, b = 0;
        if (norm != 0)
        {
            a = dot / norm;
            b = cross / norm;
        }

        return new AffineTransform(a, -b, b, a, tx - (a * fx - b * fy), ty - (b * fx + a * fy));
    }

    /// <summary>The affine transform taking three points exactly onto three others (dlib's <c>find_affine_transform</c> for 3 pairs).</summary>
    public static AffineTransform FromTriangle(PointD p0, PointD p1, PointD p2, PointD q0, PointD q1, PointD q2)
    {
        // Solve M·(p1−p0) = q1−q0 and M·(p2−p0) = q2−q0, then t = q0 − M·p0.
        var ax = p1.X - p0.X;
        var ay = p1.Y - p0.Y;
        var bx = p2.X - p0.X;
        var by = p2.Y - p0.Y;
        var det = ax * by - bx * ay;
        if (det == 0)
        {
            throw new ArgumentException("the source points are collinear");
        }

        var m00 = ((q1.X - q0.X) * by - (q2.X - q0.X) * ay) / det;
        var m01 = ((q2.X - q0.X) * ax - (q1.X - q0.X) * bx) / det;
        var m10 = ((q1.Y - q0.Y) * by - (q2.Y - q0.Y) * ay) / det;
        var m11 = ((q2.Y - q0.Y) * ax - (q1.Y - q0.Y) * bx) / det;
        return new AffineTransform(m00, m01, m10, m11,
            q0.X - (m00 * p0.X + m01 * p0.Y), q0.Y - (m10 * p0.X + m11 * p0.Y));
    }
}
