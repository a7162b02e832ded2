namespace FaceGallery.LoadTests.Driving;

/// <summary>
/// The servers requests go to: round-robin, skipping for a moment one that refused a connection and,
/// like a load balancer, one whose readiness check failed, and taking in addresses added to the URL file
/// while the run goes on.
/// </summary>
public sealed class UrlPool(IReadOnlyList<Uri> initial, string? urlFile, TimeProvider clock)
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private Uri[] _urls = [.. initial];
    private readonly Dictionary<Uri, (DateTimeOffset Until, TimeSpan Pause)> _down = [];
    private readonly HashSet<Uri> _notReady = [];

    public IReadOnlyList<Uri> Current => _urls;

    /// <summary>The server for a request's <paramref name="attempt"/>: a retry moves on to the next one.</summary>
    public Uri Pick(long ticket, int attempt)
    {
        var urls = _urls;
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            for (var i = 0; i < urls.Length; i++)
            {
                var candidate = urls[(int)((ticket + attempt + i) % urls.Length)];
                if (!_notReady.Contains(candidate) && (!_down.TryGetValue(candidate, out var down) || down.Until <= now))
                {
                    return candidate;
                }
            }
        }

        return urls[(int)((ticket + attempt) % urls.Length)];
    }

    /// <summary>A server that refused a connection is skipped for 1 s, then twice as long each time it refuses again (a dead one costs few attempts).</summary>
    public void MarkDown(Uri url)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var pause = _down.TryGetValue(url, out var down) && now - down.Until < down.Pause
                ? TimeSpan.FromTicks(Math.Min(down.Pause.Ticks * 2, LongestPause.Ticks))
                : FirstPause;
            _down[url] = (now + pause, pause);
        }
    }

    /// <summary>What the last readiness check of <paramref name="url"/> said; a not-ready server gets no new requests.</summary>
    public void Readiness(Uri url, bool ready)
    {
        lock (_gate)
        {
            if (ready)
            {
                _notReady.Remove(url);
            }
            else
            {
                _notReady.Add(url);
            }
        }
    }

    /// <summary>Adds addresses that appeared in the URL file.</summary>
    public void Refresh()
    {
        if (urlFile is null || !File.Exists(urlFile))
        {
            return;
        }

        var added = File.ReadAllLines(urlFile)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && Uri.TryCreate(l, UriKind.Absolute, out _))
            .Select(l => new Uri(l.TrimEnd('/') + "/"))
            .Where(u => !_urls.Contains(u))
            .ToArray();
        if (added.Length > 0)
        {
            _urls = [.. _urls, .. added];
        }
    }
}
