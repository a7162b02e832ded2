using System.Globalization;
using System.Text;

namespace FaceGallery.LoadTests.Reporting;

/// <summary>report.md: what a person reads first — the verdict, the numbers, what the chaos did, the figures.</summary>
public static class MarkdownReport
{
    public static string Render(LoadReport r, IEnumerable<string> figures)
    {
        var md = new StringBuilder();
        var verdict = r.Verification is { Ran: false } ? "not verified (no --connection)"
            : r.Lost == 0 ? "**no acknowledged enrollment lost**" : $"**{r.Lost} acknowledged enrollments LOST**";
        Line(md, $"# Load test: {r.Scenario}, {r.Silos} silo(s), chaos {r.ChaosMode}");
        Line(md);
        Line(md, $"{r.Mode}; measured for {r.DurationS:0.#} s after preloading {r.Preloaded} identities. Verdict: {verdict}; " +
                 $"{r.Errors} failed requests out of {r.Requests}; {r.Retries} retried attempts.");
        Line(md);
        Line(md, "| requests | acked | lost | errors | throughput (req/s) | p50 ms | p90 ms | p99 ms | max ms |");
        Line(md, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Line(md, $"| {r.Requests} | {r.Acked} | {r.Lost} | {r.Errors} | {r.ThroughputRps:0.#} | {r.LatencyMs.P50:0.##} | {r.LatencyMs.P90:0.##} | {r.LatencyMs.P99:0.##} | {r.LatencyMs.Max:0.##} |");
        Line(md);
        Line(md, "| kind | requests | ok | errors | req/s | p50 ms | p99 ms | max ms | top-1 hit rate |");
        Line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, k) in new[] { ("enroll", r.Enroll), ("search", r.Search) })
        {
            if (k is not null)
            {
                Line(md, $"| {name} | {k.Requests} | {k.Ok} | {k.Errors} | {k.ThroughputRps:0.#} | {k.LatencyMs.P50:0.##} | {k.LatencyMs.P99:0.##} | {k.LatencyMs.Max:0.##} | {(k.Top1HitRate is { } h ? h.ToString("P1", CultureInfo.InvariantCulture) : "")} |");
            }
        }

        Line(md);
        if (r.Chaos.Count > 0)
        {
            Line(md, "## Chaos");
            Line(md);
            Line(md, "| at (s) | kind | event |");
            Line(md, "|---:|---|---|");
            foreach (var e in r.Chaos)
            {
                Line(md, $"| {e.AtS:0.0} | {e.Kind} | {e.Event} |");
            }

            Line(md);
            if (r.Recovery is { Count: > 0 })
            {
                Line(md, "Disruption: from each action until the last error answer or timeout that followed it (clients retried meanwhile; refused connections to a dead server are failover, counted but not extending it).");
                Line(md);
                Line(md, "| action | at (s) | failed attempts | failed requests | disruption (s) |");
                Line(md, "|---|---:|---:|---:|---:|");
                foreach (var x in r.Recovery)
                {
                    Line(md, $"| {x.Event} | {x.AtS:0.0} | {x.FailedAttempts} | {x.Errors} | {x.DisruptionS:0.0#} |");
                }

                Line(md);
            }
        }

        Reasons(md, "Retried attempts by reason", r.RetryReasons);
        Reasons(md, "Failed requests by reason", r.ErrorReasons);
        if (r.Verification is { Ran: true } v)
        {
            Line(md, "## Verification in PostgreSQL");
            Line(md);
            Line(md, $"{v.CheckedSamples} acknowledged samples (preload included) of {v.Identities} identities checked: " +
                     $"{v.MissingSamples} missing from face_samples, {v.StaleDescriptors} identities whose descriptor is not at the " +
                     "identity's revision or not over all of its samples.");
            if (v.MissingExamples is { Count: > 0 } || v.StaleExamples is { Count: > 0 })
            {
                Line(md, $"Examples: missing {string.Join(", ", v.MissingExamples ?? [])}; stale {string.Join(", ", v.StaleExamples ?? [])}.");
            }

            Line(md);
        }

        if (r.SiloActivations is { Count: > 0 })
        {
            Line(md, "## Identity activations per silo at the end");
            Line(md);
            Line(md, "| silo | activations |");
            Line(md, "|---|---:|");
            foreach (var (silo, count) in r.SiloActivations)
            {
                Line(md, $"| {silo} | {(count?.ToString(CultureInfo.InvariantCulture) ?? "?")} |");
            }

            Line(md);
        }

        if (r.ScaleOut is { } scale)
        {
            ScaleOut(md, scale);
        }

        Line(md, "## Figures");
        Line(md);
        foreach (var figure in figures)
        {
            Line(md, $"![{Path.GetFileNameWithoutExtension(figure)}]({Path.GetFileName(figure)})");
            Line(md);
        }

        Line(md, $"Machine: {r.Machine}. Latency is measured from each request's scheduled start, retries included.");
        return md.ToString();
    }

    public static string RenderScaling(IReadOnlyList<LoadReport> reports, string figure)
    {
        var md = new StringBuilder();
        Line(md, "# Throughput vs silo count");
        Line(md);
        Line(md, "| scenario | silos | CPU cap per silo | mode | duration (s) | requests | errors | lost | throughput (req/s) | p50 ms | p99 ms |");
        Line(md, "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in reports.OrderBy(r => r.Scenario, StringComparer.Ordinal).ThenBy(r => r.Silos))
        {
            Line(md, $"| {r.Scenario} | {r.Silos} | {(r.SiloCpus is { } cap ? cap.ToString("0.##", CultureInfo.InvariantCulture) : "none")} | {r.Mode} | {r.DurationS:0.#} | {r.Requests} | {r.Errors} | {r.Lost} | {r.ThroughputRps:0.#} | {r.LatencyMs.P50:0.##} | {r.LatencyMs.P99:0.##} |");
        }

        Line(md);
        Line(md, $"![scaling]({Path.GetFileName(figure)})");
        return md.ToString();
    }

    private static void ScaleOut(StringBuilder md, ScaleOutReport s)
    {
        Line(md, "## Scale-out");
        Line(md);
        var active = s.ActiveAfterS is { } a ? $"Active {a:0.#} s after its start" : "never Active during the measured phase";
        var first = s.FirstActivationAfterS is { } f ? $"first identity placed on it {f:0.#} s after its start" : "no identity placed on it";
        Line(md, $"Silo {s.AddedSilo ?? "(not seen in /v1/cluster)"} started at {s.StartedAtS:0.0} s: {active}; {first}; " +
                 $"at the end it held {s.AddedSiloActivations?.ToString(CultureInfo.InvariantCulture) ?? "?"} of {s.AllActivations} identity activations.");
        Line(md);
        Line(md, "| window | seconds | throughput (req/s) | errors | p50 ms | p99 ms | max ms |");
        Line(md, "|---|---|---:|---:|---:|---:|---:|");
        foreach (var (name, w) in new[] { ("before the start", s.Before), ("after Active", s.After) })
        {
            if (w is not null)
            {
                Line(md, $"| {name} | {w.FromS}–{w.ToS} | {w.ThroughputRps:0.#} | {w.Errors} | {w.LatencyMs.P50:0.##} | {w.LatencyMs.P99:0.##} | {w.LatencyMs.Max:0.##} |");
            }
        }

        Line(md);
    }

    private static void Reasons(StringBuilder md, string title, IReadOnlyDictionary<string, long>? reasons)
    {
        if (reasons is not { Count: > 0 })
        {
            return;
        }

        Line(md, $"{title}: " + string.Join(", ", reasons.OrderByDescending(x => x.Value).Select(x => $"{x.Key} × {x.Value}")) + ".");
        Line(md);
    }

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
