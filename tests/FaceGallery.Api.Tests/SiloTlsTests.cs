using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FaceGallery.Testing;

namespace FaceGallery.Api.Tests;

/// <summary>Two silos with FaceGallery:Tls set form one cluster over mutual TLS and serve each other's grains.</summary>
public sealed class SiloTlsTests : IAsyncLifetime
{
    private readonly SyntheticGallery _faces = new(128, seed: 31);
    private readonly string _folder = Directory.CreateTempSubdirectory("fg-tls-").FullName;
    private X509Certificate2? _certificate;
    private GalleryServer? _first;
    private GalleryServer? _second;

    public async Task InitializeAsync()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=facegallery-silo", key, HashAlgorithmName.SHA256);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = certificate;
        var pfx = Path.Combine(_folder, "silo.pfx");
        var ca = Path.Combine(_folder, "ca.pem");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "secret"));
        await File.WriteAllTextAsync(ca, certificate.ExportCertificatePem());
        var tls = new Dictionary<string, string?>
        {
            ["FaceGallery:Tls:CertificatePath"] = pfx,
            ["FaceGallery:Tls:CertificatePassword"] = "secret",
            ["FaceGallery:Tls:TrustedCaPath"] = ca,
            ["FaceGallery:Dashboard:Enabled"] = "true",
        };
        _first = await GalleryServer.StartAsync(StoreKind.Postgres, tls);
        _second = await GalleryServer.StartAsync(StoreKind.Postgres, tls, database: _first.Database);
    }

    public async Task DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.StopKeepingDataAsync();
        }

        if (_first is not null)
        {
            await _first.DisposeAsync();
        }

        _certificate?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Silos_with_tls_join_one_cluster_and_serve_grains_across_it()
    {
        using var first = _first!.CreateClient();
        using var second = _second!.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        int active;
        string[] addresses;
        do
        {
            var cluster = await first.GetJsonAsync("/v1/cluster");
            var silos = cluster.Body!["silos"]!.AsArray();
            active = silos.Count(s => (string?)s!["status"] == "Active");
            addresses = silos.Select(s => (string)s!["address"]!).ToArray();
            if (active < 2)
            {
                await Task.Delay(250);
            }
        }
        while (active < 2 && DateTime.UtcNow < deadline);
        Assert.Equal(2, active);

        // On the wire: each silo port answers a TLS handshake with the configured certificate.
        foreach (var address in addresses)
        {
            var endpoint = IPEndPoint.Parse(address.Split('@')[0]);
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(endpoint);
            await using var tls = new SslStream(tcp.GetStream());
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "facegallery-silo",
                ClientCertificates = [_certificate!],
                // The silo's certificate is the self-signed one made above, so pin it rather than build a chain.
                RemoteCertificateValidationCallback = (_, remote, _, _) => remote?.GetCertHashString() == _certificate!.GetCertHashString(),
            });
            Assert.True(tls.IsAuthenticated && tls.IsMutuallyAuthenticated);
            Assert.Equal(_certificate!.GetCertHashString(), tls.RemoteCertificate!.GetCertHashString());
        }

        // Enough identities that some grains live on each silo: every read from the other side
        // crosses the TLS link at least once.
        for (var i = 0; i < 8; i++)
        {
            var enrolled = await first.PostAsync($"/v1/identities/tls-{i}/embeddings", ApiClient.Samples(($"s{i}", _faces.Sample($"tls-{i}"), 1f)));
            Assert.Equal(HttpStatusCode.OK, enrolled.Status);
            var read = await second.GetJsonAsync($"/v1/identities/tls-{i}");
            Assert.Equal(HttpStatusCode.OK, read.Status);
            Assert.Equal(1, (int)read.Body!["sampleCount"]!);
        }

        using var dashboard = await first.GetAsync("/dashboard/version");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }
}
