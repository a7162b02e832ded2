using System.Globalization;
using System.Text;

namespace FaceGallery.SearchBench;

/// <summary>The markdown tables of docs/benchmarks.md "Search at scale".</summary>
public static class ScaleReport
{
    public static string Markdown(BenchSettings settings, IReadOnlyList<ScaleResult> results)
    {
        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));

        Line($"Gallery sizes: one set descriptor per identity (k = {settings.K}, {settings.Probes} probes per HNSW/embedded cell, {settings.ExactProbes} per PostgreSQL exact cell); per-example = {settings.Faces} face rows per identity, exact. HNSW m = {settings.M}, ef_construction = {settings.EfConstruction}.");
        s.AppendLine();
        s.AppendLine("| identities | load (COPY + analyse) | HNSW build | index | PG exact p50 / p99 | embedded exact p50 / p99 | per-example embedded p50 (× embedded) | per-example PG p50 (× PG exact) | top-1 set / per-example | mate cos p50 / best impostor p50 |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var build = r.HnswBuild is { } b ? $"{b.TotalSeconds:F1} s" : r.IndexBytes > 0 ? "see note" : "did not finish";
            var perExamplePg = r.PostgresPerExample is { } pe
                ? string.Create(CultureInfo.InvariantCulture, $"{pe.P50:F1} ms ({pe.P50 / r.PostgresExact.P50:F1}×)")
                : "not loaded";
            Line($"| {r.Size:N0} | {r.Load.TotalSeconds:F1} s | {build} | {r.IndexBytes / 1048576.0:F0} MiB | {r.PostgresExact.P50:F1} / {r.PostgresExact.P99:F1} ms | {r.Embedded.P50:F2} / {r.Embedded.P99:F2} ms | {r.EmbeddedPerExample.P50:F2} ms ({r.EmbeddedPerExample.P50 / r.Embedded.P50:F1}×) | {perExamplePg} | {r.DescriptorTop1:P1} / {r.PerExampleTop1:P1} | {r.MateCosine.P50:F3} / {r.BestImpostorCosine.P50:F3} |");
        }

        s.AppendLine();
        s.AppendLine("| identities | ef_search | plan | HNSW p50 | HNSW p99 | recall@10 | top-1 = exact top-1 | mate at top-1 | PG exact p50 ÷ HNSW p50 | per-example PG p50 ÷ HNSW p50 |");
        s.AppendLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            foreach (var h in r.Hnsw)
            {
                var perExample = r.PostgresPerExample is { } pe ? string.Create(CultureInfo.InvariantCulture, $"{pe.P50 / h.Latency.P50:F1}×") : "–";
                Line($"| {r.Size:N0} | {h.EfSearch} | {h.Scan} | {h.Latency.P50:F2} ms | {h.Latency.P99:F2} ms | {h.RecallAt10:F4} | {h.Top1Agreement:P1} | {h.MateAtTop1:P1} | {r.PostgresExact.P50 / h.Latency.P50:F1}× | {perExample} |");
            }

            if (r.BuildNote is not null)
            {
                Line($"| {r.Size:N0} | – | – | – | – | – | – | – | {r.BuildNote} | |");
            }
        }

        if (results.Any(r => r.Versus is not null))
        {
            s.AppendLine();
            s.AppendLine("| identities | ef_search | exact plan | exact p50 / p99 | exact backend CPU | HNSW plan | HNSW p50 / p99 | HNSW backend CPU | exact ÷ HNSW p50 | exact ÷ HNSW CPU |");
            s.AppendLine("|---:|---:|---|---:|---:|---|---:|---:|---:|---:|");
            foreach (var r in results)
            {
                if (r.Versus is { } v)
                {
                    Line($"| {r.Size:N0} | {v.EfSearch} | {v.ExactPlan} | {v.Exact.P50:F2} / {v.Exact.P99:F2} ms | {v.ExactCpuMs:F2} ms | {v.HnswPlan} | {v.Hnsw.P50:F2} / {v.Hnsw.P99:F2} ms | {v.HnswCpuMs:F2} ms | {v.Exact.P50 / v.Hnsw.P50:F2}× | {v.ExactCpuMs / v.HnswCpuMs:F2}× |");
                }
            }
        }

        return s.ToString();
    }
}
