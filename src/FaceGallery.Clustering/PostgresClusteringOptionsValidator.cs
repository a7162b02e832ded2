using Microsoft.Extensions.Options;
using Npgsql;

namespace FaceGallery.Clustering;

/// <summary>Fails host start-up on a missing or unparsable connection string instead of at the first membership call.</summary>
internal sealed class PostgresClusteringOptionsValidator : IValidateOptions<PostgresClusteringOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresClusteringOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            return ValidateOptionsResult.Fail("PostgresClusteringOptions.ConnectionString is required for PostgreSQL clustering.");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"PostgresClusteringOptions.ConnectionString is not a valid Npgsql connection string: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
