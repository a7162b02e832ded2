namespace FaceGallery.Cli.Evaluation;

/// <summary>Scores of one probe against every gallery template, and which gallery entry (if any) is its mate.</summary>
public sealed record ProbeScores(IReadOnlyList<float> Scores, int? MateIndex);

/// <summary>TPIR = 1 − FNIR at the open-set threshold whose FPIR is nearest the target.</summary>
/// <param name="Reachable">False when FPIR·(non-mated probes) &lt; 1.</param>
public sealed record TpirAtFpir(double TargetFpir, double Tpir, double Fpir, double Threshold, bool Reachable);

/// <summary>
/// 1:N identification (FACTS.md, Evaluation conventions). Closed set: rank-k = share of mated probes whose
/// mate is among the k best gallery scores (ties counted against the mate). Open set: FPIR(t) = share of
/// non-mated probes whose top-1 score ≥ t; FNIR(t) = share of mated probes whose mate is not top-1 with
/// score ≥ t; TPIR = 1 − FNIR.
/// </summary>
public static class IdentificationMetrics
{
    /// <summary>1-based rank of the mate; every other gallery entry scoring at least as high counts ahead of it.</summary>
    public static int MateRank(ProbeScores probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var mate = probe.MateIndex ?? throw new ArgumentException("The probe has no mate in the gallery.", nameof(probe));
        var mateScore = probe.Scores[mate];
        var rank = 1;
        for (var i = 0; i < probe.Scores.Count; i++)
        {
            if (i != mate && probe.Scores[i] >= mateScore)
            {
                rank++;
            }
        }

        return rank;
    }

    public static double RankK(IReadOnlyList<ProbeScores> probes, int k)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var mated = probes.Where(p => p.MateIndex is not null).ToArray();
        if (mated.Length == 0)
        {
            throw new ArgumentException("Rank-k needs at least one mated probe.", nameof(probes));
        }

        return mated.Count(p => MateRank(p) <= k) / (double)mated.Length;
    }

    public static double Fpir(IReadOnlyList<ProbeScores> probes, double threshold)
    {
        var nonMated = NonMated(probes);
        return nonMated.Count(p => p.Scores.Max() >= threshold) / (double)nonMated.Length;
    }

    public static double Fnir(IReadOnlyList<ProbeScores> probes, double threshold)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var mated = probes.Where(p => p.MateIndex is not null).ToArray();
        return mated.Count(p => !(MateRank(p) == 1 && p.Scores[p.MateIndex!.Value] >= threshold)) / (double)mated.Length;
    }

    public static IReadOnlyList<TpirAtFpir> TpirAtFpirs(IReadOnlyList<ProbeScores> probes, IReadOnlyList<double> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var topScores = NonMated(probes).Select(p => p.Scores.Max()).OrderByDescending(s => s).ToArray();
        var results = new List<TpirAtFpir>(targets.Count);
        foreach (var target in targets)
        {
            var threshold = VerificationMetrics.ThresholdAt(topScores, target, out var reachable);
            results.Add(new TpirAtFpir(target, 1 - Fnir(probes, threshold), Fpir(probes, threshold), threshold, reachable));
        }

        return results;
    }

    private static ProbeScores[] NonMated(IReadOnlyList<ProbeScores> probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var nonMated = probes.Where(p => p.MateIndex is null).ToArray();
        return nonMated.Length > 0
            ? nonMated
            : throw new ArgumentException("Open-set metrics need at least one non-mated probe.", nameof(probes));
    }
}
