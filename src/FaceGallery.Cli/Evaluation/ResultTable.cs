using System.Globalization;
using System.Text;

namespace FaceGallery.Cli.Evaluation;

/// <summary>Markdown tables of benchmark results, one table per benchmark, as docs/accuracy.md shows them.</summary>
public static class ResultTable
{
    public static string Render(IReadOnlyList<BenchmarkResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        foreach (var group in results.GroupBy(r => r.Benchmark))
        {
            var first = group.First();
            text.AppendLine(Invariant($"### {group.Key}"));
            text.AppendLine(Invariant(
                $"{first.GalleryTemplates} gallery and {first.ProbeTemplates} probe templates ({first.MatedProbes} mated, {first.NonMatedProbes} non-mated); {first.GenuinePairs} genuine and {first.ImpostorPairs} impostor pairs. `*` = FAR or FPIR below one pair: unreachable, shown at the strictest threshold."));
            text.AppendLine();
            var header = new StringBuilder("| aggregator |");
            var rule = new StringBuilder("|---|");
            foreach (var point in first.Verification)
            {
                header.Append(Invariant($" TAR@FAR={point.TargetFar:0e0} |"));
                rule.Append("---:|");
            }

            header.Append(" rank-1 | rank-5 |");
            rule.Append("---:|---:|");
            foreach (var point in first.OpenSet)
            {
                header.Append(Invariant($" TPIR@FPIR={point.TargetFpir:0e0} |"));
                rule.Append("---:|");
            }

            header.Append(" genuine cos | impostor cos |");
            rule.Append("---:|---:|");
            text.AppendLine(header.ToString());
            text.AppendLine(rule.ToString());
            foreach (var result in group)
            {
                var row = new StringBuilder(Invariant($"| {result.Aggregator} |"));
                foreach (var point in result.Verification)
                {
                    row.Append(Invariant($" {point.Tar:0.000}{(point.Reachable ? string.Empty : "*")} |"));
                }

                row.Append(Invariant($" {result.Rank1:0.000} | {result.Rank5:0.000} |"));
                foreach (var point in result.OpenSet)
                {
                    row.Append(Invariant($" {point.Tpir:0.000}{(point.Reachable ? string.Empty : "*")} |"));
                }

                row.Append(Invariant($" {result.MeanGenuine:0.000} | {result.MeanImpostor:0.000} |"));
                text.AppendLine(row.ToString());
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
