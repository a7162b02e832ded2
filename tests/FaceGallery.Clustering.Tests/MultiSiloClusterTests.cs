using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Xunit;
using Xunit.Abstractions;

namespace FaceGallery.Clustering.Tests;

public sealed class MultiSiloClusterTests(PostgresDatabaseFixture database, ITestOutputHelper output)
    : IClassFixture<PostgresDatabaseFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Three_silos_form_one_cluster_serve_a_client_and_survive_a_graceful_stop()
    {
        var clusterId = $"multi-{Guid.NewGuid():N}";
        var silos = Enumerable.Range(0, 3).Select(i => BuildSilo(clusterId, $"silo-{i}")).ToList();
        IHost? client = null;
        try
        {
            // All at once, as several processes would: schema creation and joining must not race.
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(silos.Select(s => s.StartAsync()));
            output.WriteLine($"3 silos started in {clock.ElapsedMilliseconds} ms");

            foreach (var silo in silos)
            {
                await WaitUntilAsync(() => ActiveMembers(silo).Count == 3, "every silo sees 3 Active members");
            }

            // One cluster, not three: each key has a single activation, whichever silo calls it.
            var keys = Enumerable.Range(0, 12).Select(i => $"identity-{i}").ToList();
            var placement = new Dictionary<string, string>();
            foreach (var key in keys)
            {
                var answers = await Task.WhenAll(silos.Select(s => Grains(s).GetGrain<ILocatorGrain>(key).GetHostingSilo()));
                placement[key] = Assert.Single(answers.Distinct());
            }

            var siloAddresses = silos.Select(s => Address(s).ToParsableString()).ToHashSet();
            Assert.Subset(siloAddresses, placement.Values.ToHashSet());
            output.WriteLine($"placement of {keys.Count} grains over {placement.Values.Distinct().Count()} silos");

            client = BuildClient(clusterId);
            await client.StartAsync();
            var clusterClient = client.Services.GetRequiredService<IClusterClient>();
            var hosts = await clusterClient.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            Assert.Equal(siloAddresses, hosts.Keys.Select(a => a.ToParsableString()).ToHashSet());
            foreach (var key in keys)
            {
                Assert.Equal(placement[key], await clusterClient.GetGrain<ILocatorGrain>(key).GetHostingSilo());
            }

            // Stop the silo that hosts the first grain, and time how long the others take to see it go.
            var victimKey = keys[0];
            var victim = silos.Single(s => Address(s).ToParsableString() == placement[victimKey]);
            var victimAddress = Address(victim);
            var survivors = silos.Where(s => s != victim).ToList();
            clock.Restart();
            var stopping = victim.StopAsync();
            foreach (var survivor in survivors)
            {
                await WaitUntilAsync(() => !IsActive(survivor, victimAddress), "survivors see the stopped silo leave");
            }

            var seenGone = clock.Elapsed;
            await stopping;
            output.WriteLine($"stopped silo seen not Active after {seenGone.TotalMilliseconds:F0} ms; StopAsync took {clock.ElapsedMilliseconds} ms");
            foreach (var survivor in survivors)
            {
                var status = survivor.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(victimAddress);
                Assert.Contains(status, new[] { SiloStatus.ShuttingDown, SiloStatus.Stopping, SiloStatus.Dead });
            }

            // The grain that lived there comes back on a survivor, for silos and for the client alike.
            await WaitUntilAsync(
                async () => (await clusterClient.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count == 2,
                "the client's cluster view drops the stopped silo");
            var survivorAddresses = survivors.Select(s => Address(s).ToParsableString()).ToHashSet();
            var revived = await clusterClient.GetGrain<ILocatorGrain>(victimKey).GetHostingSilo();
            Assert.Contains(revived, survivorAddresses);
            foreach (var survivor in survivors)
            {
                Assert.Equal(revived, await Grains(survivor).GetGrain<ILocatorGrain>(victimKey).GetHostingSilo());
            }
        }
        finally
        {
            if (client is not null)
            {
                await client.StopAsync();
                client.Dispose();
            }

            await Task.WhenAll(silos.Select(s => s.StopAsync()));
            foreach (var silo in silos)
            {
                silo.Dispose();
            }
        }
    }

    private IHost BuildSilo(string clusterId, string name)
    {
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        return Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo => silo
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "facegallery-tests"))
                .Configure<SiloOptions>(o => o.SiloName = name)
                .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort)
                .UsePostgresClustering(o => o.ConnectionString = database.ConnectionString)
                .UseFastFailureDetection())
            .Build();
    }

    private IHost BuildClient(string clusterId) =>
        Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleansClient(client => client
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "facegallery-tests"))
                .UsePostgresClustering(o => o.ConnectionString = database.ConnectionString))
            .Build();

    private static IGrainFactory Grains(IHost silo) => silo.Services.GetRequiredService<IGrainFactory>();

    private static SiloAddress Address(IHost silo) => silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

    private static List<SiloAddress> ActiveMembers(IHost silo) =>
        silo.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values
            .Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress)
            .ToList();

    private static bool IsActive(IHost silo, SiloAddress address) => ActiveMembers(silo).Contains(address);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) =>
        WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > Patience)
            {
                Assert.Fail($"Timed out after {Patience.TotalSeconds} s waiting until {what}.");
            }

            await Task.Delay(50);
        }
    }
}
