using FaceGallery.Contracts;

namespace FaceGallery.Storage.Embedded;

/// <summary>
/// The embedded gallery in memory. Changed only by <see cref="Apply"/>, the same code for live
/// writes and for replay, so what a restart rebuilds is what was served before it.
/// </summary>
internal sealed class GalleryState(int dimension)
{
    private readonly Dictionary<string, TenantState> tenants = new(StringComparer.Ordinal);

    public int IdentityCount => tenants.Values.Sum(t => t.Identities.Count);

    public IdentityState? Find(IdentityKey key) =>
        tenants.TryGetValue(key.Tenant, out var tenant) && tenant.Identities.TryGetValue(key.IdentityId, out var identity) ? identity : null;

    public TenantState? Tenant(string tenant) => tenants.GetValueOrDefault(tenant);

    public IEnumerable<(string Name, TenantState State)> Tenants() => tenants.Select(t => (t.Key, t.Value));

    public void Apply(JournalRecord record)
    {
        switch (record)
        {
            case IdentityUpserted r:
            {
                var identity = FindOrCreate(r.Key, r.At);
                identity.DisplayName = r.DisplayName;
                identity.MetadataJson = r.MetadataJson;
                identity.UpdatedAt = r.At;
                break;
            }

            case SamplesAppended r:
            {
                var identity = FindOrCreate(r.Key, r.At);
                foreach (var sample in r.Samples)
                {
                    identity.SampleIds.Add(sample.SampleId);
                    identity.Samples.Add(sample);
                }

                identity.Revision = r.Revision;
                identity.UpdatedAt = r.At;
                break;
            }

            case SampleRemoved r:
            {
                var identity = Find(r.Key) ?? throw Inconsistent(r);
                identity.SampleIds.Remove(r.SampleId);
                identity.Samples.RemoveAll(s => s.SampleId == r.SampleId);
                identity.Revision = r.Revision;
                identity.UpdatedAt = r.At;
                break;
            }

            case IdentityDeleted r:
            {
                var tenant = tenants[r.Key.Tenant];
                tenant.Identities.Remove(r.Key.IdentityId);
                tenant.Ids.Remove(r.Key.IdentityId);
                tenant.Descriptors.Remove(r.Key.IdentityId);
                if (tenant.Identities.Count == 0)
                {
                    tenants.Remove(r.Key.Tenant);
                }

                break;
            }

            case DescriptorSaved r:
            {
                var identity = Find(r.Key) ?? throw Inconsistent(r);
                identity.Descriptor = r.Descriptor;
                tenants[r.Key.Tenant].Descriptors.Set(r.Key.IdentityId, r.Descriptor.Vector);
                break;
            }

            case DescriptorDeleted r:
            {
                var identity = Find(r.Key) ?? throw Inconsistent(r);
                identity.Descriptor = null;
                tenants[r.Key.Tenant].Descriptors.Remove(r.Key.IdentityId);
                break;
            }

            case IdentityRestored r:
            {
                var identity = FindOrCreate(r.Key, r.CreatedAt);
                identity.DisplayName = r.DisplayName;
                identity.MetadataJson = r.MetadataJson;
                identity.Revision = r.Revision;
                identity.CreatedAt = r.CreatedAt;
                identity.UpdatedAt = r.UpdatedAt;
                break;
            }

            default:
                throw new ArgumentException($"Unknown journal record {record.GetType().Name}.", nameof(record));
        }
    }

    /// <summary>The shortest record sequence that rebuilds this state, for a snapshot.</summary>
    public IEnumerable<JournalRecord> SnapshotRecords()
    {
        foreach (var tenant in tenants.Values)
        {
            foreach (var identity in tenant.Identities.Values)
            {
                yield return new IdentityRestored(identity.Key, identity.DisplayName, identity.MetadataJson, identity.Revision, identity.CreatedAt, identity.UpdatedAt);
                if (identity.Samples.Count > 0)
                {
                    yield return new SamplesAppended(identity.Key, identity.Revision, identity.UpdatedAt, identity.Samples);
                }

                if (identity.Descriptor is not null)
                {
                    yield return new DescriptorSaved(identity.Key, identity.Descriptor);
                }
            }
        }
    }

    private IdentityState FindOrCreate(IdentityKey key, DateTimeOffset at)
    {
        if (!tenants.TryGetValue(key.Tenant, out var tenant))
        {
            tenant = new TenantState(dimension);
            tenants[key.Tenant] = tenant;
        }

        if (!tenant.Identities.TryGetValue(key.IdentityId, out var identity))
        {
            identity = new IdentityState(key) { CreatedAt = at, UpdatedAt = at };
            tenant.Identities[key.IdentityId] = identity;
            tenant.Ids.Add(key.IdentityId);
        }

        return identity;
    }

    private static InvalidDataException Inconsistent(JournalRecord record) =>
        new($"Journal record {record.GetType().Name} for '{record.Key}' refers to an identity that does not exist.");
}

/// <summary>One tenant: its identities, their ids in byte order for paging, and its search index.</summary>
internal sealed class TenantState(int dimension)
{
    public Dictionary<string, IdentityState> Identities { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> Ids { get; } = new(StringComparer.Ordinal);

    public DescriptorIndex Descriptors { get; } = new(dimension);
}

/// <summary>One identity with its samples in insertion order.</summary>
internal sealed class IdentityState(IdentityKey key)
{
    public IdentityKey Key { get; } = key;

    public string? DisplayName { get; set; }

    public string? MetadataJson { get; set; }

    public long Revision { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<StoredSample> Samples { get; } = [];

    public HashSet<string> SampleIds { get; } = new(StringComparer.Ordinal);

    public StoredDescriptor? Descriptor { get; set; }

    public IdentityRecord ToRecord() =>
        new(Key.Tenant, Key.IdentityId, DisplayName, MetadataJson, Samples.Count, Revision, CreatedAt, UpdatedAt);

    /// <summary>The record with the stored descriptor's version and coreset, as listings show it.</summary>
    public IdentityRecord ToListedRecord() =>
        ToRecord() with { DescriptorVersion = Descriptor?.Version ?? 0, Coreset = Descriptor?.Coreset.ToArray() ?? [] };
}
