namespace FaceGallery.Testing;

/// <summary>
/// Embeddings with identity structure: each identity is a random direction on the unit sphere and
/// its samples scatter around it, so nearest-neighbour search has a right answer.
/// </summary>
public sealed class SyntheticGallery(int dimension, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, float[]> _centers = new(StringComparer.Ordinal);

    public int Dimension => dimension;

    public float[] Center(string identityId)
    {
        if (!_centers.TryGetValue(identityId, out var center))
        {
            center = Unit(Gaussian(dimension));
            _centers[identityId] = center;
        }

        return center;
    }

    /// <summary>A unit sample of the identity; <paramref name="spread"/> is the noise norm: 0.3 gives cosine ≈ 0.96 to the center.</summary>
    public float[] Sample(string identityId, float spread = 0.3f)
    {
        var center = Center(identityId);
        var noise = Gaussian(dimension);
        var scale = spread / MathF.Sqrt(dimension);
        var v = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            v[i] = center[i] + (noise[i] * scale);
        }

        return Unit(v);
    }

    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return (float)(dot / Math.Sqrt(na * nb));
    }

    private float[] Gaussian(int n)
    {
        var v = new float[n];
        for (var i = 0; i < n; i++)
        {
            // Box–Muller: two uniforms give one standard normal.
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            v[i] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return v;
    }

    private static float[] Unit(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        for (var i = 0; i < v.Length; i++)
        {
            v[i] /= norm;
        }

        return v;
    }
}
