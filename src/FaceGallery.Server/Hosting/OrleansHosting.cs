using System.Net;
using FaceGallery.Clustering;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace FaceGallery.Server.Hosting;

public static class OrleansHosting
{
    public const string AcceleratorMetadataKey = "accelerator";

    /// <summary>
    /// Co-hosts an Orleans silo in this process. Embedded mode: localhost clustering, one silo.
    /// Cluster mode: membership in PostgreSQL, so every process given the same connection string
    /// joins one cluster, each on its own <c>Orleans:SiloPort</c> / <c>Orleans:GatewayPort</c>.
    /// </summary>
    public static WebApplicationBuilder AddGalleryCluster(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var orleans = configuration.GetSection("Orleans");
        var siloPort = orleans.GetValue("SiloPort", EndpointOptions.DEFAULT_SILO_PORT);
        var gatewayPort = orleans.GetValue("GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT);
        var accelerator = AdvertisedAccelerator(configuration);

        builder.UseOrleans(silo =>
        {
            if (configuration.IsClusterMode())
            {
                var advertised = IPAddress.Parse(orleans.GetValue("AdvertisedAddress", "127.0.0.1")!);
                silo.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = orleans.GetValue("ClusterId", "facegallery");
                    options.ServiceId = orleans.GetValue("ServiceId", "facegallery");
                });
                silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: false);
                silo.UsePostgresClustering(options =>
                    options.ConnectionString = configuration.GetConnectionString(StorageHosting.ConnectionStringName)!);
                silo.UseFastFailureDetection();
            }
            else
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort);
            }

            // Grain calls join the caller's trace (HTTP request → grain → Npgsql).
            silo.AddActivityPropagation();
            silo.UseConfiguredTls(configuration);
            silo.UseConfiguredDashboard(configuration);
            silo.UseSiloMetadata(new Dictionary<string, string> { [AcceleratorMetadataKey] = accelerator });
        });
        // Registered after the silo so it starts once the silo is running.
        builder.Services.AddHostedService<DescriptorSweepTrigger>();
        return builder;
    }

    /// <summary>
    /// What this silo tells placement about itself. "auto" advertises CUDA only where the CUDA
    /// execution provider is actually active (decided by the inference layer).
    /// </summary>
    private static string AdvertisedAccelerator(IConfiguration configuration)
    {
        var configured = configuration.GetValue($"{ServerOptions.SectionName}:{nameof(ServerOptions.Accelerator)}", "auto");
        return string.Equals(configured, "cuda", StringComparison.OrdinalIgnoreCase) ? "cuda" : "cpu";
    }
}
