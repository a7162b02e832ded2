using System.CommandLine;
using Spectre.Console;

namespace FaceGallery.LoadTests.Commands;

/// <summary><c>run</c>: one load run against running servers (load-tests/run.sh starts them).</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var scenario = new Option<Scenario>("--scenario") { Description = "enroll, search or mixed", Required = true };
        var urls = new Option<string[]>("--url") { Description = "server base address; repeat for several", Required = true, AllowMultipleArgumentsPerToken = true };
        var urlFile = new Option<string?>("--url-file") { Description = "file of further addresses, re-read while running" };
        var duration = new Option<double>("--duration") { Description = "seconds of measured load", DefaultValueFactory = _ => 30 };
        var requests = new Option<long>("--requests") { Description = "at most this many requests", DefaultValueFactory = _ => 1_000_000 };
        var rate = new Option<double?>("--rate") { Description = "open loop: requests per second (default: closed loop)" };
        var concurrency = new Option<int>("--concurrency") { Description = "closed loop: workers", DefaultValueFactory = _ => 16 };
        var enrollRatio = new Option<double>("--enroll-ratio") { Description = "mixed: share of enrollments", DefaultValueFactory = _ => 0.2 };
        var preload = new Option<int?>("--preload") { Description = "identities enrolled before measuring (default: search 1000, mixed 200, enroll 20)" };
        var connection = new Option<string?>("--connection") { Description = "Npgsql connection string of the gallery, to verify every acknowledged enrollment" };
        var silos = new Option<int>("--silos") { Description = "silo count, for the report", DefaultValueFactory = _ => 1 };
        var siloCpus = new Option<double?>("--silo-cpus") { Description = "CPU cap per silo in cores, for the report" };
        var chaos = new Option<string>("--chaos") { Description = "chaos mode, for the report", DefaultValueFactory = _ => "none" };
        var chaosLog = new Option<string?>("--chaos-log") { Description = "file of \"unix-ms TAB kind TAB event\" lines written by the chaos script" };
        var started = new Option<string?>("--started-marker") { Description = "file created when the measured phase starts" };
        var output = new Option<string>("--out") { Description = "report directory", DefaultValueFactory = _ => "load-report" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 7 };
        var quiet = new Option<bool>("--quiet") { Description = "no progress display" };

        var command = new Command("run", "Drive the servers, verify, and write report.json, report.md and PNG plots")
        {
            scenario, urls, urlFile, duration, requests, rate, concurrency, enrollRatio, preload, connection, silos, siloCpus, chaos, chaosLog, started, output, seed, quiet,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new LoadSettings
            {
                Scenario = parse.GetValue(scenario),
                Urls = [.. parse.GetValue(urls)!.Select(u => new Uri(u.TrimEnd('/') + "/"))],
                UrlFile = parse.GetValue(urlFile),
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                MaxRequests = parse.GetValue(requests),
                Rate = parse.GetValue(rate),
                Concurrency = parse.GetValue(concurrency),
                EnrollRatio = parse.GetValue(enrollRatio),
                Preload = parse.GetValue(preload),
                Connection = parse.GetValue(connection),
                Silos = parse.GetValue(silos),
                SiloCpus = parse.GetValue(siloCpus),
                ChaosLog = parse.GetValue(chaosLog),
                StartedMarker = parse.GetValue(started),
                OutputDirectory = Path.GetFullPath(parse.GetValue(output)!),
                Seed = parse.GetValue(seed),
                ShowProgress = !parse.GetValue(quiet),
            };
            var report = await LoadRun.RunAsync(settings, parse.GetValue(chaos)!, ct);
            AnsiConsole.MarkupLineInterpolated(
                $"[bold]{report.Scenario}[/]: {report.Requests} requests, {report.ThroughputRps} req/s, p99 {report.LatencyMs.P99} ms, errors {report.Errors}, acked {report.Acked}, [bold]lost {report.Lost}[/] → {settings.OutputDirectory}");
            return report.Lost == 0 ? 0 : 3;
        });
        return command;
    }
}
