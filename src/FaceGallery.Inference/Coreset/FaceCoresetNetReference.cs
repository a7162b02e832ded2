using FaceGallery.Inference.Aggregation;

namespace FaceGallery.Inference.Coreset;

/// <summary>
/// FaceCoresetNet written out in plain loops with double accumulation, reading the raw weights
/// (<see cref="CoresetWeights"/>) rather than the ONNX graph: an independent second implementation that
/// tests hold <see cref="CoresetAggregator"/> against. Slow (O(N·D²) scalar work); not for serving.
/// The maths and every edge rule follow `models/facecoresetnet/model.py`, whose header lists them.
/// </summary>
public sealed class FaceCoresetNetReference
{
    private readonly int dimension;
    private readonly int heads;
    private readonly int coresetSize;
    private readonly bool singleFacePassthrough;
    private readonly double layerNormEpsilon;
    private readonly double qualityFloor;
    private readonly double maskedLogit;
    private readonly double normEpsilon;
    private readonly double gamma;
    private readonly double[] frequencies;
    private readonly LayerNorm qualityNorm;
    private readonly LayerNorm norm1;
    private readonly LayerNorm norm2;
    private readonly Attention selfAttention;
    private readonly Attention crossAttention;

    public FaceCoresetNetReference(CoresetWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var index = weights.Index;
        dimension = index.Dimension;
        heads = index.Heads;
        coresetSize = index.CoresetSize;
        singleFacePassthrough = index.SingleFacePassthrough;
        layerNormEpsilon = index.LayerNormEpsilon;
        qualityFloor = index.QualityFloor;
        maskedLogit = index.MaskedLogit;
        normEpsilon = index.NormEpsilon;
        Name = index.Model;
        gamma = weights.Get("gamma")[0];
        qualityNorm = LayerNorm.Read(weights, "quality_norm", dimension);
        norm1 = LayerNorm.Read(weights, "norm1", dimension);
        norm2 = LayerNorm.Read(weights, "norm2", dimension);
        selfAttention = Attention.Read(weights, "self_attn", dimension);
        crossAttention = Attention.Read(weights, "cross_attn", dimension);

        // The graph holds 2π/10000^(m/(D/2)) as float32 constants; use the same rounded values.
        var half = dimension / 2;
        frequencies = new double[half];
        for (var m = 0; m < half; m++)
        {
            frequencies[m] = (float)(2.0 * Math.PI * Math.Pow(10000.0, -(double)m / half));
        }
    }

    public string Name { get; }

    public int Dimension => dimension;

    public static FaceCoresetNetReference Load(string modelDirectory) => new(CoresetWeights.Load(modelDirectory));

    public ReferenceAggregate Aggregate(IReadOnlyList<SetMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentOutOfRangeException.ThrowIfZero(members.Count);
        var n = members.Count;
        var unit = new double[n][];
        var q = new double[n];
        var maxQuality = double.NegativeInfinity;
        for (var i = 0; i < n; i++)
        {
            var e = members[i].Embedding.Span;
            if (e.Length != dimension)
            {
                throw new ArgumentException($"Face {i} has {e.Length} values, expected {dimension}.", nameof(members));
            }

            var v = new double[dimension];
            for (var c = 0; c < dimension; c++)
            {
                v[c] = e[c];
            }

            Scale(v, 1.0 / Math.Max(Norm(v), normEpsilon));
            unit[i] = v;
            q[i] = members[i].Quality;
            maxQuality = Math.Max(maxQuality, q[i]);
        }

        if (!(maxQuality > 0))
        {
            Array.Fill(q, 1.0);
        }

        var picks = SelectCoreset(unit, q);
        var k = picks.Length;
        var points = new double[n][];
        for (var i = 0; i < n; i++)
        {
            points[i] = unit[i].Select(x => q[i] * x).ToArray();
        }

        var core = new double[k][];
        var query = new double[k][];
        for (var p = 0; p < k; p++)
        {
            core[p] = points[picks[p]];
            query[p] = Add(core[p], qualityNorm.Apply(Encode(q[picks[p]]), layerNormEpsilon));
        }

        var selfOut = selfAttention.Apply(query, query, query, heads);
        var x = new double[k][];
        for (var p = 0; p < k; p++)
        {
            x[p] = norm1.Apply(Add(query[p], selfOut[p]), layerNormEpsilon);
        }

        var keys = new double[n][];
        for (var i = 0; i < n; i++)
        {
            keys[i] = Add(points[i], qualityNorm.Apply(Encode(q[i]), layerNormEpsilon));
        }

        var crossOut = crossAttention.Apply(x, keys, points, heads);
        var pooled = new double[dimension];
        for (var p = 0; p < k; p++)
        {
            var delta = norm2.Apply(Add(core[p], crossOut[p]), layerNormEpsilon);
            for (var c = 0; c < dimension; c++)
            {
                pooled[c] += (core[p][c] + delta[c]) / k;
            }
        }

        Scale(pooled, 1.0 / Math.Max(Norm(pooled), normEpsilon));
        if (singleFacePassthrough && n == 1)
        {
            pooled = (double[])unit[0].Clone();
        }

        return new ReferenceAggregate(pooled, picks);
    }

    /// <summary>First the best quality face, then farthest-point picks by q^γ·(1 − cos)/2; ties to the lowest index.</summary>
    private int[] SelectCoreset(double[][] unit, double[] q)
    {
        var n = unit.Length;
        var k = Math.Min(coresetSize, n);
        var picks = new int[k];
        var chosen = new bool[n];
        picks[0] = ArgMax(q, chosen: null);
        chosen[picks[0]] = true;
        var weight = q.Select(v => Math.Pow(Math.Max(v, qualityFloor), gamma)).ToArray();
        var nearest = new double[n];
        Array.Fill(nearest, double.PositiveInfinity);
        for (var p = 1; p < k; p++)
        {
            var centre = unit[picks[p - 1]];
            for (var i = 0; i < n; i++)
            {
                var distance = weight[i] * (1.0 - Dot(unit[i], centre)) * 0.5;
                nearest[i] = Math.Min(nearest[i], distance);
            }

            picks[p] = ArgMax(nearest, chosen);
            chosen[picks[p]] = true;
        }

        return picks;
    }

    private int ArgMax(double[] values, bool[]? chosen)
    {
        var best = 0;
        var bestValue = double.NegativeInfinity;
        for (var i = 0; i < values.Length; i++)
        {
            var v = chosen is not null && chosen[i] ? maskedLogit : values[i];
            if (v > bestValue)
            {
                best = i;
                bestValue = v;
            }
        }

        return best;
    }

    /// <summary>Interleaved [sin θ_0, cos θ_0, sin θ_1, …] with θ_m = q·2π/10000^(m/(D/2)).</summary>
    private double[] Encode(double quality)
    {
        var encoding = new double[dimension];
        for (var m = 0; m < frequencies.Length; m++)
        {
            var theta = (double)(float)quality * frequencies[m];
            encoding[2 * m] = Math.Sin(theta);
            encoding[2 * m + 1] = Math.Cos(theta);
        }

        return encoding;
    }

    private static double Dot(double[] a, double[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double Norm(double[] v) => Math.Sqrt(Dot(v, v));

    private static void Scale(double[] v, double factor)
    {
        for (var i = 0; i < v.Length; i++)
        {
            v[i] *= factor;
        }
    }

    private static double[] Add(double[] a, double[] b)
    {
        var sum = new double[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            sum[i] = a[i] + b[i];
        }

        return sum;
    }

    private sealed record LayerNorm(double[] Weight, double[] Bias)
    {
        public static LayerNorm Read(CoresetWeights w, string prefix, int d) =>
            new(w.Get(prefix + ".weight", d), w.Get(prefix + ".bias", d));

        public double[] Apply(double[] v, double epsilon)
        {
            var mean = v.Average();
            var variance = v.Select(x => (x - mean) * (x - mean)).Sum() / v.Length;
            var inverse = 1.0 / Math.Sqrt(variance + epsilon);
            var result = new double[v.Length];
            for (var i = 0; i < v.Length; i++)
            {
                result[i] = (v[i] - mean) * inverse * Weight[i] + Bias[i];
            }

            return result;
        }
    }

    /// <summary>Multi-head attention in nn.MultiheadAttention's layout: in_proj rows [W_q; W_k; W_v].</summary>
    private sealed record Attention(double[] InWeight, double[] InBias, double[] OutWeight, double[] OutBias, int Dimension)
    {
        public static Attention Read(CoresetWeights w, string prefix, int d) => new(
            w.Get(prefix + ".in_proj_weight", 3 * d, d),
            w.Get(prefix + ".in_proj_bias", 3 * d),
            w.Get(prefix + ".out_proj.weight", d, d),
            w.Get(prefix + ".out_proj.bias", d),
            d);

        public double[][] Apply(double[][] query, double[][] key, double[][] value, int heads)
        {
            var d = Dimension;
            var qp = query.Select(x => Project(x, InWeight, InBias, 0)).ToArray();
            var kp = key.Select(x => Project(x, InWeight, InBias, d)).ToArray();
            var vp = value.Select(x => Project(x, InWeight, InBias, 2 * d)).ToArray();
            var headSize = d / heads;
            var scale = 1.0 / Math.Sqrt(headSize);
            var result = new double[query.Length][];
            var scores = new double[key.Length];
            for (var l = 0; l < query.Length; l++)
            {
                var mixed = new double[d];
                for (var h = 0; h < heads; h++)
                {
                    var from = h * headSize;
                    var max = double.NegativeInfinity;
                    for (var s = 0; s < key.Length; s++)
                    {
                        var dot = 0.0;
                        for (var j = from; j < from + headSize; j++)
                        {
                            dot += qp[l][j] * kp[s][j];
                        }

                        scores[s] = dot * scale;
                        max = Math.Max(max, scores[s]);
                    }

                    var total = 0.0;
                    for (var s = 0; s < key.Length; s++)
                    {
                        scores[s] = Math.Exp(scores[s] - max);
                        total += scores[s];
                    }

                    for (var s = 0; s < key.Length; s++)
                    {
                        var weight = scores[s] / total;
                        for (var j = from; j < from + headSize; j++)
                        {
                            mixed[j] += weight * vp[s][j];
                        }
                    }
                }

                result[l] = Project(mixed, OutWeight, OutBias, 0);
            }

            return result;
        }

        /// <summary>y = W[rows from .. from+D) · x + b[same rows].</summary>
        private double[] Project(double[] x, double[] weight, double[] bias, int from)
        {
            var d = Dimension;
            var y = new double[d];
            for (var r = 0; r < d; r++)
            {
                var sum = bias[from + r];
                var row = (from + r) * d;
                for (var c = 0; c < d; c++)
                {
                    sum += weight[row + c] * x[c];
                }

                y[r] = sum;
            }

            return y;
        }
    }
}

/// <summary>The reference's answer: the unit descriptor in double precision and the coreset in pick order.</summary>
public sealed record ReferenceAggregate(double[] Descriptor, int[] Coreset);
