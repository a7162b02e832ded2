using FaceGallery.LoadTests.Driving;
using ScottPlot;

namespace FaceGallery.LoadTests.Reporting;

/// <summary>PNG figures: latency percentiles and throughput over time with chaos marked, activations per silo, throughput vs silos.</summary>
public static class Plots
{
    private const int Width = 1100;
    private const int Height = 480;

    public static IReadOnlyList<string> WriteRun(LoadReport report, RunMeasurements m, string directory)
    {
        var written = new List<string>();
        var timeline = report.Timeline ?? [];
        var t = timeline.Select(p => p.T + 0.5).ToArray();
        var title = $"{report.Scenario}, {report.Silos} silo(s), chaos: {report.ChaosMode}";

        var latency = new Plot();
        Line(latency, t, timeline.Select(p => p.P50Ms), "p50");
        Line(latency, t, timeline.Select(p => p.P90Ms), "p90");
        Line(latency, t, timeline.Select(p => p.P99Ms), "p99");
        Line(latency, t, timeline.Select(p => p.MaxMs), "max", dashed: true);
        Decorate(latency, report.Chaos, $"Latency per second — {title}", "latency (ms), by second of completion");
        written.Add(Save(latency, directory, "latency.png"));

        var throughput = new Plot();
        Line(throughput, t, timeline.Select(p => (double)p.Ok), "succeeded / s");
        Line(throughput, t, timeline.Select(p => (double)p.Retries), "retried attempts / s");
        Line(throughput, t, timeline.Select(p => (double)p.Errors), "failed requests / s");
        Decorate(throughput, report.Chaos, $"Throughput — {title}", "requests per second");
        written.Add(Save(throughput, directory, "throughput.png"));

        var silos = m.Cluster.SelectMany(c => c.Silos.Keys).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (m.Cluster.Any(c => c.Silos.Values.Any(s => s.Activations is not null)))
        {
            var activations = new Plot();
            foreach (var silo in silos)
            {
                var points = m.Cluster.Where(c => c.Silos.TryGetValue(silo, out var s) && s.Activations is not null).ToArray();
                var scatter = activations.Add.ScatterLine(points.Select(c => c.AtSeconds).ToArray(),
                    points.Select(c => (double)c.Silos[silo].Activations!.Value).ToArray());
                scatter.LegendText = silo;
                scatter.LineWidth = 2;
            }

            Decorate(activations, report.Chaos, $"Identity activations per silo — {title}", "activations");
            written.Add(Save(activations, directory, "activations.png"));
        }

        return written;
    }

    /// <summary>Throughput against silo count, one line per scenario.</summary>
    public static string WriteScaling(IReadOnlyList<LoadReport> reports, string directory)
    {
        var plot = new Plot();
        // One line per scenario and CPU cap: capped and uncapped runs answer different questions.
        foreach (var series in reports.GroupBy(r => (r.Scenario, r.SiloCpus)).OrderBy(g => g.Key.Scenario, StringComparer.Ordinal).ThenBy(g => g.Key.SiloCpus))
        {
            var runs = series.OrderBy(r => r.Silos).ToArray();
            var scatter = plot.Add.Scatter(runs.Select(r => (double)r.Silos).ToArray(), runs.Select(r => r.ThroughputRps).ToArray());
            scatter.LegendText = series.Key.SiloCpus is { } cap
                ? $"{series.Key.Scenario}, {cap.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} cores per silo"
                : $"{series.Key.Scenario}, silos uncapped";
            scatter.LineWidth = 2;
            scatter.MarkerSize = 9;
        }

        plot.Title("Throughput vs silo count (all processes on one machine)");
        plot.XLabel("silos");
        plot.YLabel("successful requests per second");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.Axes.SetLimitsY(0, Math.Max(1, reports.Max(r => r.ThroughputRps)) * 1.15);
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, directory, "scaling.png");
    }

    private static void Line(Plot plot, double[] t, IEnumerable<double> values, string label, bool dashed = false)
    {
        var line = plot.Add.ScatterLine(t, values.ToArray());
        line.LegendText = label;
        line.LineWidth = dashed ? 1 : 2;
        if (dashed)
        {
            line.LinePattern = LinePattern.Dashed;
        }
    }

    private static void Decorate(Plot plot, IReadOnlyList<ChaosEvent> chaos, string title, string yLabel)
    {
        foreach (var e in chaos)
        {
            var marker = plot.Add.VerticalLine(e.AtS);
            marker.LinePattern = e.Kind == "action" ? LinePattern.Solid : LinePattern.Dotted;
            marker.Color = e.Kind == "action" ? Colors.Red : Colors.Gray;
            marker.LineWidth = 1.5f;
            marker.LegendText = $"{e.Event} ({e.AtS:0.#} s)";
        }

        plot.Title(title);
        plot.XLabel("seconds since the measured phase began");
        plot.YLabel(yLabel);
        // Counts and latencies start at zero; an axis that starts elsewhere exaggerates a change.
        var top = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>()
            .SelectMany(p => p.Data.GetScatterPoints()).Select(p => p.Y).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsY(0, Math.Max(1, top) * 1.1);
        plot.ShowLegend(Alignment.UpperLeft);
    }

    private static string Save(Plot plot, string directory, string name)
    {
        var path = Path.Combine(directory, name);
        plot.SavePng(path, Width, Height);
        return path;
    }
}
