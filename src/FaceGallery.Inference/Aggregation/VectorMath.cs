using System.Numerics.Tensors;

namespace FaceGallery.Inference.Aggregation;

/// <summary>Small vector helpers shared by the aggregators (SIMD through TensorPrimitives).</summary>
public static class VectorMath
{
    /// <summary>Returns a unit-length copy; a zero vector stays zero.</summary>
    public static float[] Normalized(ReadOnlySpan<float> v)
    {
        var result = v.ToArray();
        NormalizeInPlace(result);
        return result;
    }

    public static void NormalizeInPlace(Span<float> v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm > 0f)
        {
            TensorPrimitives.Divide(v, norm, v);
        }
    }
}
