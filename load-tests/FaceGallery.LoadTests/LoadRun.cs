using System.Text.Json;
using FaceGallery.LoadTests.Driving;
using FaceGallery.LoadTests.Reporting;
using FaceGallery.LoadTests.Verification;

namespace FaceGallery.LoadTests;

/// <summary>One complete run: preload, measured phase with a cluster watch, verification in PostgreSQL, reports.</summary>
public static class LoadRun
{
    public static async Task<LoadReport> RunAsync(LoadSettings settings, string chaosMode, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.OutputDirectory);
        var recorder = new LoadRecorder();
        var urls = new UrlPool(settings.Urls, settings.UrlFile, TimeProvider.System);
        using var client = new GalleryClient(settings, urls, recorder);
        var workload = new Workload(settings);
        var driver = new LoadDriver(settings, client, workload, recorder);
        var view = new ProgressView(settings.ShowProgress);

        if (settings.PreloadCount > 0)
        {
            var preloaded = 0;
            await view.ShowAsync("preload", driver.PreloadAsync(n => preloaded = n, cancellationToken),
                () => (double)preloaded / settings.PreloadCount, () => $"{preloaded}/{settings.PreloadCount} identities");
        }

        using var watch = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = new ClusterWatcher(client, urls, recorder).WatchAsync(watch.Token);
        await view.ShowAsync(settings.Scenario.ToString().ToLowerInvariant(), driver.RunAsync(cancellationToken),
            () => Math.Max(recorder.Elapsed / settings.Duration, (double)driver.Issued / settings.MaxRequests),
            () => Status(recorder, urls));
        await watch.CancelAsync();
        await watcher;

        var measurements = recorder.Snapshot();
        VerificationResult? verification = null;
        if (settings.Connection is { } connection)
        {
            verification = await EnrollmentVerifier.VerifyAsync(connection, [.. recorder.Acknowledged], cancellationToken);
        }

        var chaos = ChaosLog.Read(settings.ChaosLog, recorder.StartedAt);
        var report = ReportBuilder.Build(settings, chaosMode, measurements, chaos, verification, urls.Current,
            recorder.PreloadAcknowledged, recorder.Skipped) with { StartedAt = recorder.StartedAt.ToString("O") };
        var figures = Plots.WriteRun(report, measurements, settings.OutputDirectory);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "report.json"),
            JsonSerializer.Serialize(report, LoadReport.Json), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(settings.OutputDirectory, "report.md"),
            MarkdownReport.Render(report, figures), cancellationToken);
        return report;
    }

    private static string Status(LoadRecorder recorder, UrlPool urls)
    {
        var (ok, errors, retries, p99) = recorder.Live();
        var seconds = Math.Max(recorder.Elapsed.TotalSeconds, 0.001);
        return $"{recorder.Elapsed.TotalSeconds:0}s ok {ok} ({ok / seconds:0}/s) errors {errors} retries {retries} p99 {p99:0.#} ms, {urls.Current.Count} servers";
    }
}
