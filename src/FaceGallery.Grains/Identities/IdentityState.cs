using FaceGallery.Storage;

namespace FaceGallery.Grains.Identities;

/// <summary>
/// What an identity activation holds in memory: its row, its samples in insertion order and the
/// descriptor last stored. Samples are the truth; the descriptor is derived from them.
/// </summary>
internal sealed class IdentityState
{
    public IdentityRecord? Identity { get; private set; }

    public List<StoredSample> Samples { get; } = [];

    public StoredDescriptor? Descriptor { get; set; }

    public long Revision => Identity?.Revision ?? 0;

    public bool DescriptorIsCurrent => Samples.Count == 0
        ? Descriptor is null
        : Descriptor is not null && Descriptor.Version == Revision;

    public void Load(IdentitySnapshot? snapshot)
    {
        Identity = snapshot?.Identity;
        Samples.Clear();
        if (snapshot is not null)
        {
            Samples.AddRange(snapshot.Samples);
        }

        Descriptor = snapshot?.Descriptor;
    }

    public void SetIdentity(IdentityRecord identity) => Identity = identity;

    public void Clear() => Load(null);
}
