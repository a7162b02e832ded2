using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Messaging;
using Orleans.Runtime;

namespace FaceGallery.Clustering;

/// <summary>Gives Orleans clients the gateway endpoints of the cluster's Active silos.</summary>
public sealed class PostgresGatewayListProvider : IGatewayListProvider, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _clusterId;
    private readonly ILogger<PostgresGatewayListProvider> _logger;

    public PostgresGatewayListProvider(
        IOptions<PostgresClusteringOptions> options,
        IOptions<ClusterOptions> clusterOptions,
        IOptions<GatewayOptions> gatewayOptions,
        ILogger<PostgresGatewayListProvider> logger)
    {
        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString);
        _clusterId = clusterOptions.Value.ClusterId;
        MaxStaleness = gatewayOptions.Value.GatewayListRefreshPeriod;
        _logger = logger;
    }

    public TimeSpan MaxStaleness { get; }

    public bool IsUpdatable => true;

    // Clients only read: the tables belong to the silos, which create them.
    public Task InitializeGatewayListProvider() => Task.CompletedTask;

    public Task<IList<Uri>> GetGateways() => GetGatewaysAsync(CancellationToken.None);

    public async Task<IList<Uri>> GetGatewaysAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(MembershipSql.ActiveGateways);
        command.Parameters.Add(new NpgsqlParameter { Value = _clusterId });
        var gateways = new List<Uri>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var gateway = SiloAddress.New(IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1), reader.GetInt32(2));
                gateways.Add(gateway.ToGatewayUri());
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // A client that starts before any silo sees no gateways and retries, rather than failing hard.
            ClusteringLog.MembershipTablesMissing(_logger, _clusterId);
        }

        return gateways;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
