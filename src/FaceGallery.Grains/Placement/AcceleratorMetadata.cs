using Orleans.Runtime.MembershipService.SiloMetadata;

namespace FaceGallery.Grains.Placement;

/// <summary>The silo metadata placement reads: <c>accelerator=cuda|cpu</c>.</summary>
public static class AcceleratorMetadata
{
    public const string Key = "accelerator";
    public const string Cuda = "cuda";
    public const string Cpu = "cpu";

    public static bool HasAccelerator(this ISiloMetadataCache metadata, SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(Key, out var value)
        && string.Equals(value, Cuda, StringComparison.OrdinalIgnoreCase);
}
