using System.CommandLine;
using FaceGallery.Inference.Aggregation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FaceGallery.Cli.Commands;

/// <summary>
/// <c>check-descriptors --connection …</c>: the descriptor consistency check. Recomputes every
/// identity's descriptor from its stored samples with the aggregator the server registers, and
/// lists those whose stored descriptor differs. Exit 0 when all agree, 1 when any differ.
/// </summary>
public static class CheckDescriptorsCommand
{
    public static Command Create()
    {
        var connection = new Option<string?>("--connection")
        {
            Description = "Npgsql connection string of the gallery (default: ConnectionStrings__Gallery)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ConnectionStrings__Gallery"),
        };
        var tolerance = new Option<double>("--tolerance")
        {
            Description = "largest accepted 1 - cosine between the stored and the recomputed descriptor",
            DefaultValueFactory = _ => 1e-5,
        };
        var parallelism = new Option<int>("--parallelism") { DefaultValueFactory = _ => 4 };
        var command = new Command("check-descriptors", "Recompute every identity's descriptor from its samples and report any that differ from the stored one")
        {
            connection, tolerance, parallelism,
        };
        command.SetAction(async (parse, ct) =>
        {
            var connectionString = parse.GetValue(connection);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                await Console.Error.WriteLineAsync("check-descriptors needs --connection or ConnectionStrings__Gallery.");
                return 2;
            }

            using var host = await BuildHostAsync(connectionString, ct);
            var check = host.Services.GetRequiredService<DescriptorConsistencyCheck>();
            var differences = 0;
            var summary = await check.RunAsync(parse.GetValue(tolerance), parse.GetValue(parallelism), difference =>
            {
                Interlocked.Increment(ref differences);
                Console.WriteLine($"{difference.Key}: {string.Join("; ", difference.Problems)}");
            }, ct);
            Console.WriteLine($"checked {summary.Identities} identities ({summary.Samples} samples) with aggregator '{summary.AggregatorId}': " +
                              $"{summary.Differing} differ, largest 1 - cosine {summary.WorstDistance:G3}");
            return summary.Differing == 0 ? 0 : 1;
        });
        return command;
    }

    /// <summary>The server's storage and aggregator registrations, over the gallery's own dimension.</summary>
    private static async Task<IHost> BuildHostAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var dimension = await ReadDimensionAsync(connectionString, cancellationToken);
        builder.Services.AddPostgresGalleryStore(options =>
        {
            options.ConnectionString = connectionString;
            options.Dimension = dimension;
        });
        builder.Services.AddSetAggregator(builder.Configuration);
        builder.Services.AddSingleton<DescriptorConsistencyCheck>();
        return builder.Build();
    }

    private static async Task<int> ReadDimensionAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT value FROM gallery_settings WHERE name = 'dimension'", db);
        return int.Parse((string)(await command.ExecuteScalarAsync(cancellationToken))!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
