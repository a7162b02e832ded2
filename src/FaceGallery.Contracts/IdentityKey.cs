namespace FaceGallery.Contracts;

/// <summary>
/// Names one identity inside one tenant. The grain key is "tenant/identityId": '/' can appear in
/// neither part, so the key parses back unambiguously.
/// </summary>
[GenerateSerializer, Immutable, Alias("fg.IdentityKey")]
public readonly record struct IdentityKey([property: Id(0)] string Tenant, [property: Id(1)] string IdentityId)
{
    public const char Separator = '/';

    public string GrainKey => string.Concat(Tenant, "/", IdentityId);

    public static IdentityKey FromGrainKey(string grainKey)
    {
        var at = grainKey.IndexOf(Separator, StringComparison.Ordinal);
        if (at <= 0 || at == grainKey.Length - 1)
        {
            throw new FormatException($"'{grainKey}' is not a tenant/identity grain key.");
        }

        return new IdentityKey(grainKey[..at], grainKey[(at + 1)..]);
    }

    public override string ToString() => GrainKey;
}
