using System.Net;
using FaceGallery.Clustering;
using FaceGallery.Grains.Placement;
using FaceGallery.Inference.Onnx;
using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace FaceGallery.Server.Hosting;

public static class OrleansHosting
{
    public const string AcceleratorMetadataKey = AcceleratorMetadata.Key;
    public const string AdvertisedAcceleratorKey = "FaceGallery:AdvertisedAccelerator";

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
        var accelerator = DecideAccelerator(configuration);
        builder.Services.AddSingleton(accelerator);

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
            silo.UseSiloMetadata(new Dictionary<string, string> { [AcceleratorMetadataKey] = accelerator.Value });
        });
        // Registered after the silo so it starts once the silo is running.
        builder.Services.AddHostedService<DescriptorSweepTrigger>();
        return builder;
    }

    /// <summary>
    /// What this silo tells placement about itself. <c>FaceGallery:AdvertisedAccelerator</c> overrides it
    /// (tests force a CPU silo to act as the accelerator one). Otherwise <c>cpu</c> unless CUDA was asked
    /// for (cuda or auto) and ONNX Runtime can register its CUDA provider here; the models then load on the
    /// same provider, and the warm-up logs a warning if they did not.
    /// </summary>
    private static SiloAccelerator DecideAccelerator(ConfigurationManager configuration)
    {
        var overridden = configuration[AdvertisedAcceleratorKey];
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return new SiloAccelerator(overridden.Trim().ToLowerInvariant(), Overridden: true);
        }

        var configured = configuration.GetValue($"{ServerOptions.SectionName}:{nameof(ServerOptions.Accelerator)}", "auto");
        if (string.Equals(configured, "cpu", StringComparison.OrdinalIgnoreCase))
        {
            return new SiloAccelerator(AcceleratorMetadata.Cpu, Overridden: false);
        }

        var device = configuration.GetValue($"{ServerOptions.SectionName}:CudaDeviceId", 0);
        return new SiloAccelerator(CudaProbe.TryInitialise(device, out _) ? AcceleratorMetadata.Cuda : AcceleratorMetadata.Cpu, Overridden: false);
    }
}

/// <summary>The accelerator this silo advertises, and whether configuration forced it.</summary>
public sealed record SiloAccelerator(string Value, bool Overridden);
