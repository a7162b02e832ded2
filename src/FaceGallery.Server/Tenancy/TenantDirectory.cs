using System.Security.Cryptography;
using System.Text;
using FaceGallery.Contracts;

namespace FaceGallery.Server.Tenancy;

/// <summary>
/// The tenants configured under <c>FaceGallery:Tenants</c>, each known by the SHA-256 of its API
/// key. The keys themselves are not kept: only their hashes, taken once at start-up.
/// </summary>
public sealed class TenantDirectory
{
    public const string SectionName = "FaceGallery:Tenants";

    private readonly (string Tenant, byte[] KeyHash)[] _tenants;

    public TenantDirectory(IReadOnlyDictionary<string, TenantSettings> configured)
    {
        var tenants = new List<(string, byte[])>();
        foreach (var (name, settings) in configured.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!GalleryIds.IsValid(name))
            {
                throw new InvalidOperationException(
                    $"Tenant name '{name}' is not valid: 1–{GalleryIds.MaxLength} characters of [A-Za-z0-9._:-].");
            }

            if (string.IsNullOrWhiteSpace(settings.ApiKey))
            {
                throw new InvalidOperationException($"Tenant '{name}' has no ApiKey.");
            }

            var hash = Hash(settings.ApiKey);
            if (tenants.Exists(t => CryptographicOperations.FixedTimeEquals(t.Item2, hash)))
            {
                throw new InvalidOperationException($"Tenant '{name}' shares its ApiKey with another tenant.");
            }

            tenants.Add((name, hash));
        }

        _tenants = [.. tenants];
    }

    /// <summary>True once any tenant is configured: from then on every /v1 call needs a key.</summary>
    public bool RequiresKeys => _tenants.Length > 0;

    public IReadOnlyList<string> TenantNames => _tenants.Select(t => t.Tenant).ToArray();

    public static TenantDirectory FromConfiguration(IConfiguration configuration)
    {
        var configured = new Dictionary<string, TenantSettings>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            configured[section.Key] = section.Get<TenantSettings>() ?? new TenantSettings();
        }

        return new TenantDirectory(configured);
    }

    /// <summary>
    /// The tenant whose key this is, or null. Every configured hash is compared, in constant time
    /// each, so neither the answer's timing nor an early exit tells which prefix or tenant was close.
    /// </summary>
    public string? Authenticate(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey))
        {
            return null;
        }

        var hash = Hash(presentedKey);
        string? found = null;
        foreach (var (tenant, keyHash) in _tenants)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
            {
                found = tenant;
            }
        }

        return found;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
