using System.Numerics.Tensors;
using FaceGallery.Contracts;

namespace FaceGallery.Storage.Tests;

/// <summary>Deterministic unit vectors: random directions, and clusters around random centres.</summary>
public sealed class TestVectors(int seed, int dimension = TestVectors.Dimension)
{
    public const int Dimension = 128;

    private readonly Random random = new(seed);

    public float[] Unit()
    {
        var v = new float[dimension];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = Gaussian();
        }

        return Normalize(v);
    }

    /// <summary>A unit vector near <paramref name="centre"/>; <paramref name="spread"/> ~0.3 keeps cosine ≈ 0.9.</summary>
    public float[] Near(float[] centre, float spread)
    {
        var v = new float[dimension];
        var scale = spread / MathF.Sqrt(dimension);
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = centre[i] + scale * Gaussian();
        }

        return Normalize(v);
    }

    public FaceSample Sample(string id, float quality = 0.8f, string? contentHash = null) =>
        new(id, Unit(), quality, "test-embedder", contentHash);

    public static float Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);

    private static float[] Normalize(float[] v)
    {
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }

    private float Gaussian()
    {
        // Box–Muller: enough for test data.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
