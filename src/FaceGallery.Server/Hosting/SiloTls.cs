using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace FaceGallery.Server.Hosting;

/// <summary>Section "FaceGallery:Tls": opt-in TLS for silo-to-silo (and gateway) connections.</summary>
public sealed class SiloTlsSettings
{
    public const string SectionName = "FaceGallery:Tls";

    /// <summary>PKCS#12 (.pfx/.p12) file, or a PEM certificate when <see cref="KeyPath"/> is set. TLS is on when set.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of a PEM certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of the PKCS#12 file or of an encrypted PEM key.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// PEM file with the CA certificate(s) every silo's certificate must chain to. When unset, peers
    /// must present certificates the machine's trust store accepts.
    /// </summary>
    public string? TrustedCaPath { get; set; }
}

public static class SiloTls
{
    /// <summary>
    /// Mutual TLS between silos when <c>FaceGallery:Tls:CertificatePath</c> is set: each silo shows
    /// its certificate and requires one from its peer. Silos are dialled by IP address, so the
    /// certificate's name is not compared; trust comes from the configured CA (or the system store).
    /// </summary>
    public static ISiloBuilder UseConfiguredTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = configuration.GetSection(SiloTlsSettings.SectionName).Get<SiloTlsSettings>();
        if (string.IsNullOrWhiteSpace(settings?.CertificatePath))
        {
            return silo;
        }

        var certificate = LoadCertificate(settings);
        var trusted = string.IsNullOrWhiteSpace(settings.TrustedCaPath) ? null : LoadCaBundle(settings.TrustedCaPath);
        return silo.UseTls(certificate, options =>
        {
            options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            options.RemoteCertificateValidation = (remote, _, errors) => IsTrusted(remote, errors, trusted);
        });
    }

    private static X509Certificate2 LoadCertificate(SiloTlsSettings settings)
    {
        var path = settings.CertificatePath!;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"FaceGallery:Tls:CertificatePath '{path}' does not exist.");
        }

        if (!string.IsNullOrWhiteSpace(settings.KeyPath))
        {
            return string.IsNullOrEmpty(settings.CertificatePassword)
                ? X509Certificate2.CreateFromPemFile(path, settings.KeyPath)
                : X509Certificate2.CreateFromEncryptedPemFile(path, settings.CertificatePassword, settings.KeyPath);
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, settings.CertificatePassword);
    }

    private static X509Certificate2Collection LoadCaBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        return bundle.Count > 0 ? bundle : throw new InvalidOperationException($"FaceGallery:Tls:TrustedCaPath '{path}' holds no certificate.");
    }

    private static bool IsTrusted(X509Certificate2 remote, SslPolicyErrors errors, X509Certificate2Collection? trusted)
    {
        if (trusted is null)
        {
            return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(remote);
    }
}
