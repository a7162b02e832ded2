using System.Net;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Runtime;

namespace FaceGallery.Clustering;

/// <summary>Maps <see cref="MembershipEntry"/> to the columns of <c>cluster_membership_silos</c> and back.</summary>
internal static class MembershipRows
{
    private static readonly JsonSerializerOptions SuspectJson = new(JsonSerializerDefaults.Web);

    public static void AddKey(NpgsqlCommand command, string clusterId, SiloAddress silo)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Endpoint.Address.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Endpoint.Port });
        command.Parameters.Add(new NpgsqlParameter { Value = silo.Generation });
    }

    /// <summary>Adds parameters $5..$16 (the row's values and its new etag) after the key.</summary>
    public static void AddRowValues(NpgsqlCommand command, MembershipEntry entry, string newEtag)
    {
        var startTime = ToUtc(entry.StartTime);
        var iAmAliveTime = ToUtc(entry.IAmAliveTime);
        command.Parameters.Add(new NpgsqlParameter { Value = entry.SiloName ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.HostName ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Status.ToString() });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.ProxyPort });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.RoleName ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.UpdateZone });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.FaultZone });
        command.Parameters.Add(new NpgsqlParameter { Value = WriteSuspectTimes(entry.SuspectTimes), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = startTime });
        command.Parameters.Add(new NpgsqlParameter { Value = iAmAliveTime });
        command.Parameters.Add(new NpgsqlParameter { Value = LastUpdate(entry, startTime, iAmAliveTime) });
        command.Parameters.Add(new NpgsqlParameter { Value = newEtag });
    }

    /// <summary>Reads a silo row starting at column <paramref name="first"/>; null when the (outer-joined) row is absent.</summary>
    public static Tuple<MembershipEntry, string>? ReadEntry(NpgsqlDataReader reader, int first)
    {
        if (reader.IsDBNull(first))
        {
            return null;
        }

        var silo = SiloAddress.New(IPAddress.Parse(reader.GetString(first)), reader.GetInt32(first + 1), reader.GetInt32(first + 2));
        var entry = new MembershipEntry
        {
            SiloAddress = silo,
            SiloName = reader.GetString(first + 3),
            HostName = reader.GetString(first + 4),
            Status = Enum.Parse<SiloStatus>(reader.GetString(first + 5)),
            ProxyPort = reader.GetInt32(first + 6),
            RoleName = reader.GetString(first + 7),
            UpdateZone = reader.GetInt32(first + 8),
            FaultZone = reader.GetInt32(first + 9),
            SuspectTimes = ReadSuspectTimes(reader.GetString(first + 10)),
            StartTime = reader.GetDateTime(first + 11),
            IAmAliveTime = reader.GetDateTime(first + 12),
        };
        return Tuple.Create(entry, reader.GetString(first + 13));
    }

    /// <summary>PostgreSQL <c>timestamptz</c> takes UTC only; Orleans writes UTC but may hand over an unspecified kind.</summary>
    public static DateTime ToUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    public static string NewEtag() => Guid.NewGuid().ToString("N");

    private static DateTime LastUpdate(MembershipEntry entry, DateTime startTime, DateTime iAmAliveTime)
    {
        var latest = startTime > iAmAliveTime ? startTime : iAmAliveTime;
        foreach (var (_, voteTime) in entry.SuspectTimes ?? [])
        {
            var vote = ToUtc(voteTime);
            if (vote > latest)
            {
                latest = vote;
            }
        }

        return latest;
    }

    // Votes keep full DateTime precision in JSON: Orleans compares vote times for equality when it
    // replaces the oldest vote, and timestamptz would round them to microseconds.
    private static string WriteSuspectTimes(List<Tuple<SiloAddress, DateTime>>? votes) =>
        JsonSerializer.Serialize(
            (votes ?? []).Select(v => new SuspectVote(v.Item1.ToParsableString(), ToUtc(v.Item2))).ToArray(),
            SuspectJson);

    private static List<Tuple<SiloAddress, DateTime>> ReadSuspectTimes(string json) =>
        (JsonSerializer.Deserialize<SuspectVote[]>(json, SuspectJson) ?? [])
            .Select(v => Tuple.Create(SiloAddress.FromParsableString(v.Silo), ToUtc(v.At)))
            .ToList();

    private sealed record SuspectVote(string Silo, DateTime At);
}
