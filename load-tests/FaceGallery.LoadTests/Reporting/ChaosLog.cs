using System.Globalization;

namespace FaceGallery.LoadTests.Reporting;

/// <summary>
/// The chaos script's log: one line per event, "unix-milliseconds TAB kind TAB text", kind being
/// <c>action</c> (it did something) or <c>observed</c> (it saw the cluster react).
/// </summary>
public static class ChaosLog
{
    public static IReadOnlyList<ChaosEvent> Read(string? path, DateTimeOffset origin)
    {
        if (path is null || !File.Exists(path))
        {
            return [];
        }

        var events = new List<ChaosEvent>();
        foreach (var line in File.ReadAllLines(path))
        {
            var parts = line.Split('\t', 3);
            if (parts.Length == 3 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                var at = (DateTimeOffset.FromUnixTimeMilliseconds(ms) - origin).TotalSeconds;
                events.Add(new ChaosEvent(Math.Round(at, 2), parts[2].Trim(), parts[1].Trim()));
            }
        }

        return [.. events.OrderBy(e => e.AtS)];
    }
}
