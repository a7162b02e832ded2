using FaceGallery.LoadTests.Driving;
using Npgsql;

namespace FaceGallery.LoadTests.Verification;

/// <summary>
/// Checks every acknowledged enrollment directly in PostgreSQL: the sample is in face_samples, and
/// its identity's descriptor was computed at the identity's current revision over all of its
/// samples. An acknowledged enrollment failing either check is lost.
/// </summary>
public static class EnrollmentVerifier
{
    private const string Tenant = "default";

    private const string SamplesSql = """
        SELECT identity_id, sample_id FROM face_samples WHERE tenant = $1 AND identity_id = ANY($2)
        """;

    private const string IdentitiesSql = """
        SELECT i.identity_id, i.revision, d.version, d.sample_count,
               (SELECT count(*) FROM face_samples s WHERE s.tenant = i.tenant AND s.identity_id = i.identity_id)
        FROM identities i
        LEFT JOIN identity_descriptors d ON d.tenant = i.tenant AND d.identity_id = i.identity_id
        WHERE i.tenant = $1 AND i.identity_id = ANY($2)
        """;

    public static async Task<VerificationResult> VerifyAsync(string connectionString, IReadOnlyCollection<Enrollment> acknowledged, CancellationToken cancellationToken)
    {
        var identities = acknowledged.Select(a => a.IdentityId).Distinct(StringComparer.Ordinal).ToArray();
        await using var connection = await OpenWhenUpAsync(connectionString, cancellationToken);

        var stored = new HashSet<(string, string)>();
        await using (var samples = new NpgsqlCommand(SamplesSql, connection) { Parameters = { new() { Value = Tenant }, new() { Value = identities } } })
        await using (var reader = await samples.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                stored.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var consistent = new HashSet<string>(StringComparer.Ordinal);
        var stale = new List<string>();
        await using (var rows = new NpgsqlCommand(IdentitiesSql, connection) { Parameters = { new() { Value = Tenant }, new() { Value = identities } } })
        await using (var reader = await rows.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetString(0);
                var revision = reader.GetInt64(1);
                var ok = !reader.IsDBNull(2) && reader.GetInt64(2) == revision && reader.GetInt32(3) == reader.GetInt64(4);
                if (ok)
                {
                    consistent.Add(id);
                }
                else
                {
                    stale.Add(id);
                }
            }
        }

        var missing = acknowledged.Where(a => !stored.Contains((a.IdentityId, a.SampleId))).ToArray();
        var lost = acknowledged.Count(a => !stored.Contains((a.IdentityId, a.SampleId)) || !consistent.Contains(a.IdentityId));
        return new VerificationResult(acknowledged.Count, identities.Length, missing.Length, stale.Count, lost,
            [.. missing.Take(20).Select(m => m.SampleId)], [.. stale.Take(20)]);
    }

    /// <summary>The database may still be coming back from a restart: try for up to a minute.</summary>
    private static async Task<NpgsqlConnection> OpenWhenUpAsync(string connectionString, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                await connection.OpenAsync(cancellationToken);
                return connection;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await connection.DisposeAsync();
                await Task.Delay(500, cancellationToken);
            }
        }
    }
}

/// <summary>What verification found; <see cref="Lost"/> counts acknowledged enrollments failing any check.</summary>
public sealed record VerificationResult(
    long CheckedSamples,
    long Identities,
    long MissingSamples,
    long StaleDescriptors,
    long Lost,
    IReadOnlyList<string> MissingExamples,
    IReadOnlyList<string> StaleExamples);
