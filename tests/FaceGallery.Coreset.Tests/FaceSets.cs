using FaceGallery.Inference.Aggregation;

namespace FaceGallery.Coreset.Tests;

/// <summary>Seeded sets of faces shaped like real descriptors: one shared cone, per-face noise, mixed qualities.</summary>
internal static class FaceSets
{
    public const int Dimension = 128;

    public static SetMember[] Random(int seed, int count, double spread = 0.35)
    {
        var random = new Random(seed);
        var centre = Gaussian(random, 1.0);
        var members = new SetMember[count];
        for (var i = 0; i < count; i++)
        {
            var noise = Gaussian(random, spread);
            var embedding = new float[Dimension];
            for (var c = 0; c < Dimension; c++)
            {
                // Unnormalised on purpose: the aggregator must normalise (dlib's norms are near 1.45).
                embedding[c] = (float)(1.45 * (centre[c] + noise[c]));
            }

            members[i] = new SetMember(embedding, (float)random.NextDouble());
        }

        return members;
    }

    public static double[] Gaussian(Random random, double scale)
    {
        var v = new double[Dimension];
        for (var c = 0; c < Dimension; c++)
        {
            // Box–Muller; per-coordinate scale/√D keeps the vector's norm near `scale`.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            v[c] = scale / Math.Sqrt(Dimension) * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }

        return v;
    }

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }

    public static double Norm(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (var x in v)
        {
            sum += (double)x * x;
        }

        return Math.Sqrt(sum);
    }

    public static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<double> b)
    {
        var worst = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        }

        return worst;
    }
}
