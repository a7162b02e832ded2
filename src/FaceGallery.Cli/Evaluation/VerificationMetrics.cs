namespace FaceGallery.Cli.Evaluation;

/// <summary>One point of a ROC read at a requested false accept rate.</summary>
/// <param name="TargetFar">The FAR asked for.</param>
/// <param name="Tar">Share of genuine pairs scoring at or above <paramref name="Threshold"/>.</param>
/// <param name="Far">The FAR actually achieved at that threshold.</param>
/// <param name="Reachable">False when fewer than one impostor pair is expected at the target (FAR·impostors &lt; 1): the number then only says how many genuine pairs beat every impostor.</param>
public sealed record TarAtFar(double TargetFar, double Tar, double Far, double Threshold, bool Reachable);

/// <summary>
/// 1:1 verification over genuine and impostor pair scores (FACTS.md, Evaluation conventions): the ROC's
/// achievable points are FAR = k / impostors; TAR is read at the point nearest each requested FAR.
/// </summary>
public static class VerificationMetrics
{
    public static IReadOnlyList<TarAtFar> TarAtFars(IReadOnlyList<float> genuine, IReadOnlyList<float> impostor, IReadOnlyList<double> targets)
    {
        ArgumentNullException.ThrowIfNull(genuine);
        ArgumentNullException.ThrowIfNull(impostor);
        ArgumentNullException.ThrowIfNull(targets);
        if (genuine.Count == 0 || impostor.Count == 0)
        {
            throw new ArgumentException("Verification needs at least one genuine and one impostor pair.");
        }

        var sortedImpostors = impostor.OrderByDescending(s => s).ToArray();
        var sortedGenuine = genuine.OrderBy(s => s).ToArray();
        var results = new List<TarAtFar>(targets.Count);
        foreach (var target in targets)
        {
            var threshold = ThresholdAt(sortedImpostors, target, out var reachable);
            var far = CountAtOrAbove(sortedImpostors, threshold, descending: true) / (double)sortedImpostors.Length;
            var tar = CountAtOrAbove(sortedGenuine, threshold, descending: false) / (double)sortedGenuine.Length;
            results.Add(new TarAtFar(target, tar, far, threshold, reachable));
        }

        return results;
    }

    /// <summary>
    /// The lowest threshold at which at most the nearest achievable count of the <paramref name="descendingScores"/>
    /// (k = round(rate · n)) score at or above it; with k = 0 it lies just above the highest score.
    /// </summary>
    internal static double ThresholdAt(float[] descendingScores, double rate, out bool reachable)
    {
        var n = descendingScores.Length;
        reachable = rate * n >= 1;
        var k = (int)Math.Min(n, Math.Round(rate * n, MidpointRounding.AwayFromZero));
        if (k == 0)
        {
            return Math.BitIncrement((double)descendingScores[0]);
        }

        // Ties at the k-th score would admit more than k: step just above it when they would.
        double threshold = descendingScores[k - 1];
        if (k < n && descendingScores[k] == descendingScores[k - 1])
        {
            threshold = Math.BitIncrement(threshold);
        }

        return threshold;
    }

    internal static int CountAtOrAbove(float[] sorted, double threshold, bool descending)
    {
        var count = 0;
        if (descending)
        {
            while (count < sorted.Length && sorted[count] >= threshold)
            {
                count++;
            }

            return count;
        }

        var below = 0;
        while (below < sorted.Length && sorted[below] < threshold)
        {
            below++;
        }

        return sorted.Length - below;
    }
}
