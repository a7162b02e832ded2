using FaceGallery.Inference.Aggregation;

namespace FaceGallery.Cli.Evaluation;

/// <summary>
/// Runs one aggregator over a benchmark's templates and scores it. Protocol: each gallery template is one
/// enrolled identity (one per identity); verification pairs are every (gallery, probe) pair, genuine when
/// both show the same identity; identification searches each probe against the whole gallery, probes whose
/// identity is not enrolled being the non-mated ones. Scores are cosine similarities of descriptors.
/// </summary>
public static class BenchmarkEvaluator
{
    public static readonly IReadOnlyList<double> FarTargets = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1];

    public static readonly IReadOnlyList<double> FpirTargets = [1e-3, 1e-2, 1e-1];

    public static async Task<BenchmarkResult> EvaluateAsync(
        string benchmark, IReadOnlyList<LoadedTemplate> templates, ISetAggregator aggregator, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(aggregator);
        var gallery = templates.Where(t => t.IsGallery).ToArray();
        var probes = templates.Where(t => !t.IsGallery).ToArray();
        if (gallery.Length == 0 || probes.Length == 0)
        {
            throw new FormatException($"{benchmark}: needs gallery and probe templates.");
        }

        var galleryIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < gallery.Length; i++)
        {
            if (!galleryIndex.TryAdd(gallery[i].Identity, i))
            {
                throw new FormatException($"{benchmark}: identity '{gallery[i].Identity}' has more than one gallery template.");
            }
        }

        var galleryDescriptors = await DescribeAsync(gallery, aggregator, cancellationToken);
        var probeDescriptors = await DescribeAsync(probes, aggregator, cancellationToken);
        var genuine = new List<float>();
        var impostor = new List<float>();
        var probeScores = new List<ProbeScores>(probes.Length);
        for (var p = 0; p < probes.Length; p++)
        {
            var scores = new float[gallery.Length];
            int? mate = galleryIndex.TryGetValue(probes[p].Identity, out var m) ? m : null;
            for (var g = 0; g < gallery.Length; g++)
            {
                scores[g] = System.Numerics.Tensors.TensorPrimitives.Dot(probeDescriptors[p], galleryDescriptors[g]);
                (g == mate ? genuine : impostor).Add(scores[g]);
            }

            probeScores.Add(new ProbeScores(scores, mate));
        }

        var mated = probeScores.Count(p => p.MateIndex is not null);
        var nonMated = probeScores.Count - mated;
        return new BenchmarkResult(
            benchmark,
            aggregator.Id,
            gallery.Length,
            probes.Length,
            genuine.Count,
            impostor.Count,
            genuine.Count > 0 ? genuine.Average() : double.NaN,
            impostor.Count > 0 ? impostor.Average() : double.NaN,
            genuine.Count > 0 && impostor.Count > 0 ? VerificationMetrics.TarAtFars(genuine, impostor, FarTargets) : [],
            mated,
            nonMated,
            mated > 0 ? IdentificationMetrics.RankK(probeScores, 1) : double.NaN,
            mated > 0 ? IdentificationMetrics.RankK(probeScores, 5) : double.NaN,
            mated > 0 && nonMated > 0 ? IdentificationMetrics.TpirAtFpirs(probeScores, FpirTargets) : []);
    }

    private static async Task<float[][]> DescribeAsync(LoadedTemplate[] templates, ISetAggregator aggregator, CancellationToken cancellationToken)
    {
        var descriptors = new float[templates.Length][];
        for (var i = 0; i < templates.Length; i++)
        {
            var descriptor = await aggregator.AggregateAsync(templates[i].Members, cancellationToken);
            descriptors[i] = VectorMath.Normalized(descriptor.Vector);
        }

        return descriptors;
    }
}
