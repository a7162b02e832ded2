using System.Numerics.Tensors;

namespace FaceGallery.SearchBench;

/// <summary>
/// Synthetic 128-D descriptors clustered like real identities, fitted to <see cref="DlibCalibration"/>:
/// identity center = real mean + σ_B·(real residual shape ⊙ N(0,1)); a face = unit(center + σ_W·(shape ⊙ N(0,1))).
/// </summary>
/// <remarks>
/// Uniform random vectors make every neighbour equally far and recall meaningless; dlib's descriptors share a
/// big common direction (different people still have cosine ≈ 0.8) and vary more along some dimensions
/// than others, which is what this keeps. σ_B and σ_W follow from the two mean cosines, with
/// M = |mean|², cos_diff ≈ M / (M + σ_B² + σ_W²) and cos_same ≈ (M + σ_B²) / (M + σ_B² + σ_W²).
/// Everything is a pure function of (seed, identity, face), so no vectors need to be kept.
/// </remarks>
public sealed class ClusteredIdentities
{
    private readonly float[] mean;
    private readonly float[] shape;
    private readonly int seed;

    public ClusteredIdentities(DlibCalibration calibration, int seed)
    {
        this.seed = seed;
        mean = calibration.Mean;
        var total = calibration.ResidualVariance.Sum();
        shape = calibration.ResidualVariance.Select(v => MathF.Sqrt(v / total)).ToArray();
        var m = (double)TensorPrimitives.Dot(mean, mean);
        var t = m / calibration.DifferentPeople.Mean;
        BetweenSigma = Math.Sqrt(Math.Max(1e-6, (calibration.SamePerson.Mean * t) - m));
        WithinSigma = Math.Sqrt(Math.Max(1e-6, t - m - (BetweenSigma * BetweenSigma)));
    }

    public int Dimension => mean.Length;

    public double BetweenSigma { get; }

    public double WithinSigma { get; }

    /// <summary>One unit face descriptor of the identity; faces 0, 1, 2… are independent draws.</summary>
    public void Face(int identity, int face, Span<float> destination)
    {
        var center = new Normals(Mix(identity, -1));
        var noise = new Normals(Mix(identity, face));
        for (var d = 0; d < mean.Length; d++)
        {
            destination[d] = mean[d] + (float)(shape[d] * ((BetweenSigma * center.Next()) + (WithinSigma * noise.Next())));
        }

        TensorPrimitives.Divide(destination, TensorPrimitives.Norm(destination), destination);
    }

    /// <summary>
    /// The identity's enrolled set descriptor: the unit mean of its faces 0…faces−1, standing in for the
    /// FaceCoresetNet aggregate (which is also a normalised combination of the faces).
    /// </summary>
    public void SetDescriptor(int identity, int faces, Span<float> destination, Span<float> scratch)
    {
        destination.Clear();
        for (var f = 0; f < faces; f++)
        {
            Face(identity, f, scratch);
            TensorPrimitives.Add(destination, scratch, destination);
        }

        TensorPrimitives.Divide(destination, TensorPrimitives.Norm(destination), destination);
    }

    /// <summary>Same-identity and different-identity cosines of single faces, for comparison with the real ones.</summary>
    public (CosineSummary Same, CosineSummary Different) Describe(int pairs)
    {
        var a = new float[Dimension];
        var b = new float[Dimension];
        var same = new List<double>(pairs);
        var different = new List<double>(pairs);
        for (var i = 0; i < pairs; i++)
        {
            Face(i, 0, a);
            Face(i, 1, b);
            same.Add(TensorPrimitives.Dot(a, b));
            Face(i + pairs, 0, b);
            different.Add(TensorPrimitives.Dot(a, b));
        }

        return (CosineSummary.Of(same), CosineSummary.Of(different));
    }

    /// <summary>SplitMix64 finaliser: deterministic across processes, unlike <see cref="HashCode"/>.</summary>
    private int Mix(int identity, int face)
    {
        var z = unchecked(((ulong)(uint)seed << 40) ^ ((ulong)(uint)identity << 8) ^ (uint)(face + 1) ^ 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }

    /// <summary>Standard normals from a seeded generator (Box–Muller, both outputs used).</summary>
    private struct Normals(int seed)
    {
        private readonly Random random = new(seed);
        private double spare;
        private bool hasSpare;

        public double Next()
        {
            if (hasSpare)
            {
                hasSpare = false;
                return spare;
            }

            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var r = Math.Sqrt(-2.0 * Math.Log(u1));
            spare = r * Math.Sin(2 * Math.PI * u2);
            hasSpare = true;
            return r * Math.Cos(2 * Math.PI * u2);
        }
    }
}
