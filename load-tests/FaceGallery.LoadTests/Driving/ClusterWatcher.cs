namespace FaceGallery.LoadTests.Driving;

/// <summary>
/// Once a second: picks up new server addresses, checks each server's readiness (as a load balancer would,
/// so a draining server gets no new requests) and records what /v1/cluster says (silos, status, activations).
/// </summary>
public sealed class ClusterWatcher(GalleryClient client, UrlPool urls, LoadRecorder recorder)
{
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                urls.Refresh();
                await Task.WhenAll(urls.Current.Select(async url =>
                    urls.Readiness(url, await client.IsReadyAsync(url, TimeSpan.FromSeconds(2), cancellationToken))));
                using var cluster = await client.GetJsonAsync("v1/cluster", TimeSpan.FromSeconds(3), cancellationToken);
                if (cluster is not null && cluster.RootElement.TryGetProperty("silos", out var silos))
                {
                    var seen = new Dictionary<string, SiloSeen>(StringComparer.Ordinal);
                    foreach (var silo in silos.EnumerateArray())
                    {
                        var activations = silo.TryGetProperty("activations", out var a) && a.ValueKind == System.Text.Json.JsonValueKind.Number
                            ? a.GetInt32()
                            : (int?)null;
                        seen[ShortName(silo.GetProperty("address").GetString()!)] = new SiloSeen(silo.GetProperty("status").GetString()!, activations);
                    }

                    recorder.ClusterSeen(seen);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>"S127.0.0.1:11111:123456" → "127.0.0.1:11111": the endpoint is what an operator recognises.</summary>
    private static string ShortName(string address)
    {
        var parts = address.TrimStart('S').Split([':', '@'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? $"{parts[0]}:{parts[1]}" : address;
    }
}
