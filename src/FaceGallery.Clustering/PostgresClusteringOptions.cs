namespace FaceGallery.Clustering;

/// <summary>Where the cluster's membership tables live.</summary>
public sealed class PostgresClusteringOptions
{
    /// <summary>Npgsql connection string. Every silo and client of one cluster uses the same database.</summary>
    public string ConnectionString { get; set; } = string.Empty;
}
