using System.Text.Json;

namespace FaceGallery.LoadTests.Driving;

/// <summary>
/// Issues the requests: a preload (not measured) so searches have a gallery, then the measured
/// phase, open loop at a fixed arrival rate or closed loop with fixed workers, until the duration
/// or the request budget runs out; then waits for every request in flight.
/// </summary>
public sealed class LoadDriver(LoadSettings settings, GalleryClient client, Workload workload, LoadRecorder recorder)
{
    private long _issued;
    private long _enrollments;

    public long Issued => Interlocked.Read(ref _issued);

    public async Task PreloadAsync(Action<int> progress, CancellationToken cancellationToken)
    {
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, settings.PreloadCount),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var samples = workload.Preloaded(i);
                var body = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    samples = samples.Select(s => new { id = s.SampleId, embedding = s.Embedding, quality = s.Quality }),
                });
                var result = await client.PostAsync($"v1/identities/{samples[0].IdentityId}/embeddings", body, ct);
                if (result.Ok)
                {
                    recorder.PreloadAcked(samples);
                    workload.Acknowledged(samples[0].IdentityId);
                }
                else
                {
                    recorder.PreloadFailed();
                }

                progress(Interlocked.Increment(ref done));
            });
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        recorder.Start();
        if (settings.StartedMarker is { } marker)
        {
            await File.WriteAllTextAsync(marker, recorder.StartedAt.ToUnixTimeMilliseconds().ToString(), cancellationToken);
        }

        if (settings.Rate is { } rate)
        {
            await OpenLoopAsync(rate, cancellationToken);
        }
        else
        {
            await Task.WhenAll(Enumerable.Range(0, settings.Concurrency).Select(_ => WorkerAsync(cancellationToken)));
        }

        recorder.Stop();
    }

    private bool MayIssue() => recorder.Elapsed < settings.Duration && Interlocked.Increment(ref _issued) <= settings.MaxRequests;

    private async Task WorkerAsync(CancellationToken cancellationToken)
    {
        while (MayIssue())
        {
            await OneRequestAsync(recorder.Elapsed, cancellationToken);
        }
    }

    /// <summary>Arrivals follow the clock, not the answers: a slow server gets a queue, as it would in production.</summary>
    private async Task OpenLoopAsync(double rate, CancellationToken cancellationToken)
    {
        var inFlight = new HashSet<Task>();
        long sent = 0;
        while (true)
        {
            var now = recorder.Elapsed;
            var due = (long)((now < settings.Duration ? now : settings.Duration).TotalSeconds * rate);
            while (sent < due)
            {
                sent++;
                if (!MayIssue())
                {
                    goto drained;
                }

                inFlight.RemoveWhere(t => t.IsCompleted);
                if (inFlight.Count >= settings.MaxInFlight)
                {
                    recorder.SkippedOverload();
                    continue;
                }

                inFlight.Add(OneRequestAsync(TimeSpan.FromSeconds(sent / rate), cancellationToken));
            }

            if (now >= settings.Duration)
            {
                break;
            }

            await Task.Delay(1, cancellationToken);
        }

    drained:
        await Task.WhenAll(inFlight);
    }

    private async Task OneRequestAsync(TimeSpan intendedStart, CancellationToken cancellationToken)
    {
        var probe = workload.NextIsEnrollment() ? null : workload.Probe();
        if (probe is null)
        {
            var enrollment = workload.Enrollment(Interlocked.Increment(ref _enrollments) - 1);
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                samples = new[] { new { id = enrollment.SampleId, embedding = enrollment.Embedding, quality = enrollment.Quality } },
            });
            var result = await client.PostAsync($"v1/identities/{enrollment.IdentityId}/embeddings", body, cancellationToken);
            if (result.Ok)
            {
                recorder.Acknowledged.Add(enrollment);
                workload.Acknowledged(enrollment.IdentityId);
            }

            recorder.Completed(RequestKind.Enroll, intendedStart, result, null);
        }
        else
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new { embeddings = new[] { probe.Embedding }, k = 5 });
            var result = await client.PostAsync("v1/search", body, cancellationToken);
            recorder.Completed(RequestKind.Search, intendedStart, result, result.Ok ? TopMatchIs(result.Body!, probe.ExpectedIdentityId) : null);
        }
    }

    private static bool TopMatchIs(byte[] body, string identityId)
    {
        using var answer = JsonDocument.Parse(body);
        return answer.RootElement.TryGetProperty("matches", out var matches)
            && matches.GetArrayLength() > 0
            && matches[0].GetProperty("identityId").GetString() == identityId;
    }
}
