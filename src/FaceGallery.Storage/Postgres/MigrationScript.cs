using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace FaceGallery.Storage.Postgres;

/// <summary>
/// One versioned schema change, embedded as <c>Postgres/Migrations/NNNN_name.sql</c>. Applied scripts
/// are never edited: a change to the schema is a new, higher-numbered file.
/// </summary>
internal sealed partial record MigrationScript(int Version, string Name, string Template)
{
    private const string ResourceMarker = ".Postgres.Migrations.";

    /// <summary>The script with the settings that are fixed when it is applied filled in.</summary>
    public string Render(PostgresStoreOptions options)
    {
        var sql = Template
            .Replace("{{dimension}}", options.Dimension.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{hnsw_m}}", options.HnswM.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{hnsw_ef_construction}}", options.HnswEfConstruction.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (sql.Contains("{{", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Migration {Version} ({Name}) has a placeholder the runner does not know.");
        }

        return sql;
    }

    /// <summary>All embedded migrations in version order; a gap or a repeated version is a build defect.</summary>
    public static IReadOnlyList<MigrationScript> LoadEmbedded()
    {
        var assembly = typeof(MigrationScript).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var at = resource.IndexOf(ResourceMarker, StringComparison.Ordinal);
            if (at < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[(at + ResourceMarker.Length)..^".sql".Length];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_name.sql.");
            }

            scripts.Add(new MigrationScript(
                int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                match.Groups[2].Value,
                Read(assembly, resource)));
        }

        scripts.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < scripts.Count; i++)
        {
            if (scripts[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations must be numbered 1, 2, 3… without gaps; found {scripts[i].Version} at position {i + 1}.");
            }
        }

        return scripts;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Migration resource '{resource}' cannot be read.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("^([0-9]{4})_([a-z0-9_]+)$")]
    private static partial Regex FileNamePattern();
}
