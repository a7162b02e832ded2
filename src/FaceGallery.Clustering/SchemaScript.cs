namespace FaceGallery.Clustering;

/// <summary>The embedded membership schema (<c>Sql/membership.sql</c>).</summary>
internal static class SchemaScript
{
    public static async Task<string> LoadAsync(CancellationToken cancellationToken)
    {
        await using var stream = typeof(SchemaScript).Assembly.GetManifestResourceStream(MembershipSql.SchemaResource)
            ?? throw new InvalidOperationException($"Embedded resource {MembershipSql.SchemaResource} is missing.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
