using System.Numerics.Tensors;

namespace FaceGallery.SearchBench;

/// <summary>
/// Synthetic 128-D descriptors clustered like real identities, fitted to <see cref="DlibCalibration"/>:
/// identity center = real mean + σ_B·L·g; a face = unit(center + σ_W·L·g'), g and g' standard normal, L·Lᵀ the
/// real residual covariance shrunk towards its diagonal (trace 1).
/// </summary>
/// <remarks>
/// Uniform random vectors make every neighbour equally far and recall meaningless. dlib's descriptors share a
/// big common direction (different people still have cosine ≈ 0.8) and vary along few directions; the mean,
/// the covariance shape and three numbers keep that. σ_B and σ_W follow from the two mean cosines, with
/// M = |mean|², cos_diff ≈ M / (M + σ_B² + σ_W²) and cos_same ≈ (M + σ_B²) / (M + σ_B² + σ_W²). The shrinkage α
/// is bisected until the spread of different-people cosines matches the real one: the full sample covariance
/// (rank ≤ 90 from 91 faces) overstates it, the diagonal alone understates it.
/// Everything is a pure function of (seed, identity, face), so no vectors need to be kept.
/// </remarks>
public sealed class ClusteredIdentities
{
    private const int FitPairs = 2000;

    private readonly float[] mean;
    private readonly double[,] covariance;
    private readonly int seed;
    private float[] factor;

    public ClusteredIdentities(DlibCalibration calibration, int seed)
    {
        this.seed = seed;
        mean = calibration.Mean;
        covariance = calibration.ResidualCovariance;
        var m = (double)TensorPrimitives.Dot(mean, mean);
        var t = m / calibration.DifferentPeople.Mean;
        BetweenSigma = Math.Sqrt(Math.Max(1e-6, (calibration.SamePerson.Mean * t) - m));
        WithinSigma = Math.Sqrt(Math.Max(1e-6, t - m - (BetweenSigma * BetweenSigma)));

        double low = 0, high = 1;
        factor = Factor(covariance, 0);
        for (var step = 0; step < 10; step++)
        {
            Shrinkage = (low + high) / 2;
            factor = Factor(covariance, Shrinkage);
            if (Describe(FitPairs).Different.StdDev > calibration.DifferentPeople.StdDev)
            {
                high = Shrinkage;
            }
            else
            {
                low = Shrinkage;
            }
        }
    }

    public int Dimension => mean.Length;

    public double BetweenSigma { get; }

    public double WithinSigma { get; }

    /// <summary>Weight α of the full sample covariance against its diagonal.</summary>
    public double Shrinkage { get; private set; }

    /// <summary>The identity's center (not unit).</summary>
    public void Center(int identity, Span<float> destination) => Scatter(mean, BetweenSigma, Mix(identity, -1), destination);

    /// <summary>One unit face descriptor around a center from <see cref="Center"/>; faces 0, 1, 2… are independent draws.</summary>
    public void Face(ReadOnlySpan<float> center, int identity, int face, Span<float> destination)
    {
        Scatter(center, WithinSigma, Mix(identity, face), destination);
        TensorPrimitives.Divide(destination, TensorPrimitives.Norm(destination), destination);
    }

    public void Face(int identity, int face, Span<float> destination)
    {
        Span<float> center = stackalloc float[Dimension];
        Center(identity, center);
        Face(center, identity, face, destination);
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

    /// <summary>destination = origin + sigma·L·g.</summary>
    private void Scatter(ReadOnlySpan<float> origin, double sigma, int stream, Span<float> destination)
    {
        var dimension = Dimension;
        Span<float> g = stackalloc float[dimension];
        var normals = new Normals(stream);
        for (var d = 0; d < dimension; d++)
        {
            g[d] = (float)normals.Next();
        }

        for (var d = 0; d < dimension; d++)
        {
            destination[d] = origin[d] + (float)(sigma * TensorPrimitives.Dot(factor.AsSpan(d * dimension, dimension), g));
        }
    }

    /// <summary>Cholesky factor (row-major, lower) of α·C + (1 − α)·diag(C), scaled to trace 1, with a small ridge.</summary>
    private static float[] Factor(double[,] c, double alpha)
    {
        var n = c.GetLength(0);
        var trace = 0.0;
        for (var i = 0; i < n; i++)
        {
            trace += c[i, i];
        }

        var a = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                a[i, j] = (i == j ? c[i, i] + (1e-4 * trace / n) : alpha * c[i, j]) / trace;
            }
        }

        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                l[i, j] = i == j ? Math.Sqrt(sum) : sum / l[j, j];
            }
        }

        var result = new float[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                result[(i * n) + j] = (float)l[i, j];
            }
        }

        return result;
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
