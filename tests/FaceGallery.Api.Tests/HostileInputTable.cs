using System.Text;
using FaceGallery.Testing;

namespace FaceGallery.Api.Tests;

/// <summary>
/// docs/hostile-inputs.md is the hostile-input matrix rendered as tables, so the document cannot drift
/// from what the tests send and expect. Regenerate it with FACEGALLERY_WRITE_DOCS=1.
/// </summary>
public sealed class HostileInputTable
{
    private static readonly string DocumentPath = Path.Combine(RepoPaths.Root, "docs", "hostile-inputs.md");

    [Fact]
    public void The_hostile_inputs_document_is_the_matrix_rendered()
    {
        var rendered = Render();
        if (Environment.GetEnvironmentVariable("FACEGALLERY_WRITE_DOCS") == "1")
        {
            File.WriteAllText(DocumentPath, rendered);
        }

        Assert.True(File.Exists(DocumentPath), "docs/hostile-inputs.md is missing; run this test with FACEGALLERY_WRITE_DOCS=1");
        Assert.True(rendered == File.ReadAllText(DocumentPath).ReplaceLineEndings("\n"),
            "docs/hostile-inputs.md differs from the matrix in HostileInputs.cs; run this test with FACEGALLERY_WRITE_DOCS=1 and commit the result");
    }

    public static string Render()
    {
        var text = new StringBuilder();
        text.Append("# Hostile inputs: what each endpoint is sent and answers\n\n")
            .Append("Generated from the test matrix `tests/FaceGallery.Api.Tests/HostileInputs.cs` by the test\n")
            .Append("`HostileInputTable` (regenerate: `FACEGALLERY_WRITE_DOCS=1 dotnet test tests/FaceGallery.Api.Tests --filter HostileInputTable`).\n")
            .Append("Every row runs in `./build.sh test` against a real server on the embedded store and on PostgreSQL\n")
            .Append("(`EmbeddedHostileInputTests`, `PostgresHostileInputTests`). Each must answer the status below with\n")
            .Append("`application/problem+json` whose `code` is the one shown; after each, the store holds exactly the one\n")
            .Append("identity and sample it held before, and `/health/ready` answers 200. A test fails when the server maps\n")
            .Append("an endpoint (or the OpenAPI document lists one) that the matrix does not cover.\n\n")
            .Append(CultureInvariant($"Limits of the matrix server: request body {HostileInputs.MaxRequestBytes / 1024} KiB, image file {HostileInputs.MaxEncodedImageBytes / 1024} KiB, ",
                $"{HostileInputs.MaxPixels:N0} pixels, {HostileInputs.MaxImagesPerRequest} images and {HostileInputs.MaxSamplesPerRequest} samples per request, k ≤ {HostileInputs.MaxSearchResults}.\n"))
            .Append("Images with no usable face on `/faces` answer 422 with the first rejection's code (the API contract);\n")
            .Append("search and verify answer an unusable image probe with the status of its code.\n\n")
            .Append(CultureInvariant($"{HostileInputs.All.Count} rows over {HostileInputs.Endpoints.Count} endpoints.\n"));

        foreach (var endpoint in HostileInputs.Endpoints)
        {
            text.Append("\n## `").Append(endpoint.Key).Append("`\n\n| input | status | code |\n|---|---|---|\n");
            foreach (var row in HostileInputs.All.Where(c => c.Endpoint == endpoint.Key))
            {
                text.Append("| ").Append(row.Input.Replace("|", "\\|", StringComparison.Ordinal)).Append(" | ")
                    .Append((int)row.Status).Append(" | `").Append(row.Code).Append("` |\n");
            }
        }

        return text.ToString();
    }

    private static string CultureInvariant(FormattableString first, FormattableString second) =>
        FormattableString.Invariant(first) + FormattableString.Invariant(second);

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);
}
