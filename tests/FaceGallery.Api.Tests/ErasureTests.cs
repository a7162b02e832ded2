using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using FaceGallery.Testing;
using Npgsql;

namespace FaceGallery.Api.Tests;

/// <summary>
/// Right to erasure: after DELETE /v1/identities/{id} nothing of that person is left in the store,
/// read straight from PostgreSQL's tables and from the embedded store's files.
/// </summary>
public sealed class ErasureTests
{
    private const int D = 128;
    private const string Erased = "erase-me.7f3a";
    private const string Kept = "keep-me.7f3a";
    private readonly SyntheticGallery _faces = new(D, seed: 23);

    [Fact]
    public async Task Deleting_an_identity_leaves_no_row_of_it_in_any_postgres_table()
    {
        await using var server = await GalleryServer.StartAsync(StoreKind.Postgres);
        using var client = server.CreateClient();
        var erasedSample = _faces.Sample(Erased);
        var keptSample = _faces.Sample(Kept);
        await EnrollAndDeleteAsync(client, erasedSample, keptSample);

        await using var connection = new NpgsqlConnection(server.Database!.ConnectionString);
        await connection.OpenAsync();
        var tables = await UserTablesAsync(connection);
        Assert.Contains("public.face_samples", tables);
        Assert.Contains("public.identity_descriptors", tables);
        var keptSomewhere = 0L;
        foreach (var table in tables)
        {
            // The whole row as text: any column of any table, including ones added later.
            Assert.Equal(0L, await CountAsync(connection, $"SELECT count(*) FROM {table} t WHERE strpos(t::text, $1) > 0", Erased));
            keptSomewhere += await CountAsync(connection, $"SELECT count(*) FROM {table} t WHERE strpos(t::text, $1) > 0", Kept);
        }

        Assert.True(keptSomewhere >= 3, "the kept identity, its sample and its descriptor are still there");
        foreach (var (table, column) in await VectorColumnsAsync(connection))
        {
            Assert.Equal(0L, await CountAsync(connection, $"SELECT count(*) FROM {table} WHERE {column} = $1::vector", VectorText(erasedSample)));
        }

        Assert.Equal(1L, await CountAsync(connection, "SELECT count(*) FROM face_samples WHERE embedding = $1::vector", VectorText(keptSample)));
    }

    [Fact]
    public async Task Deleting_an_identity_leaves_no_byte_of_it_in_the_embedded_files_and_it_stays_gone_after_reopen()
    {
        var server = await GalleryServer.StartAsync(StoreKind.Embedded);
        var dataPath = server.DataPath!;
        var erasedSample = _faces.Sample(Erased);
        var keptSample = _faces.Sample(Kept);
        using (var client = server.CreateClient())
        {
            await EnrollAndDeleteAsync(client, erasedSample, keptSample);
        }

        await server.StopKeepingDataAsync();
        var bytes = Directory.EnumerateFiles(dataPath, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))
            .Select(File.ReadAllBytes)
            .ToArray();
        Assert.NotEmpty(bytes);
        Assert.DoesNotContain(bytes, b => Contains(b, Encoding.UTF8.GetBytes(Erased)));
        Assert.DoesNotContain(bytes, b => Contains(b, MemoryMarshal.AsBytes(erasedSample.AsSpan()).ToArray()));
        Assert.Contains(bytes, b => Contains(b, Encoding.UTF8.GetBytes(Kept)));
        Assert.Contains(bytes, b => Contains(b, MemoryMarshal.AsBytes(keptSample.AsSpan()).ToArray()));

        await using var reopened = await GalleryServer.StartAsync(StoreKind.Embedded, dataPath: dataPath);
        using var again = reopened.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetJsonAsync($"/v1/identities/{Erased}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await again.GetJsonAsync($"/v1/identities/{Kept}")).Status);
    }

    private static async Task EnrollAndDeleteAsync(HttpClient client, float[] erasedSample, float[] keptSample)
    {
        await client.SendAsync(HttpMethod.Put, $"/v1/identities/{Erased}", new { displayName = "Erased Person", metadata = new { note = Erased } });
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/v1/identities/{Erased}/embeddings",
            ApiClient.Samples(("e1", erasedSample, 0.9f), ("e2", Nudged(erasedSample), 0.8f)))).Status);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"/v1/identities/{Kept}/embeddings",
            ApiClient.Samples(("k1", keptSample, 1f)))).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(HttpMethod.Delete, $"/v1/identities/{Erased}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetJsonAsync($"/v1/identities/{Erased}")).Status);
    }

    // A second sample of the same person: the first one nudged, so both must disappear.
    private static float[] Nudged(float[] sample) => sample.Select(v => v * 0.5f + 0.01f).ToArray();

    private static async Task<List<string>> UserTablesAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("""
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
            ORDER BY 1
            """, connection);
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    private static async Task<List<(string Table, string Column)>> VectorColumnsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("""
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname), quote_ident(a.attname)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND format_type(a.atttypid, a.atttypmod) = $1
            """, connection);
        command.Parameters.AddWithValue($"vector({D})");
        var columns = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        Assert.NotEmpty(columns);
        return columns;
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, string argument)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue(argument);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string VectorText(float[] vector) =>
        "[" + string.Join(',', vector.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) + "]";

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
