using FaceGallery.Contracts;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Inference.Telemetry;
using FaceGallery.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceGallery.Grains.Identities;

/// <summary>
/// One person in the gallery. Appends samples durably, then recomputes and stores the set
/// descriptor, and only then acknowledges: an acknowledged sample is always both stored and
/// reflected in the stored descriptor. Orleans runs one call at a time per activation; the store's
/// revision check covers the rare second activation during a membership change.
/// </summary>
internal sealed class IdentityGrain(
    IGalleryStore store,
    ISetAggregator aggregator,
    IOptions<GalleryOptions> options,
    TimeProvider clock,
    GalleryTelemetry telemetry,
    ILogger<IdentityGrain> logger) : Grain, IIdentityGrain
{
    private readonly IdentityState _state = new();
    private IdentityKey _key;
    private bool _loaded;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = IdentityKey.FromGrainKey(this.GetPrimaryKeyString());
        return EnsureLoadedAsync(cancellationToken);
    }

    async Task<IdentitySummary> IIdentityGrain.Upsert(IdentityProfile profile, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        var identity = await store.UpsertIdentityAsync(_key, profile, cancellationToken);
        _state.SetIdentity(identity);
        return Summarize();
    }

    async Task<IdentitySummary?> IIdentityGrain.Get(CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        return _state.Identity is null ? null : Summarize();
    }

    async Task<DescriptorView?> IIdentityGrain.GetDescriptor(CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        var d = _state.Descriptor;
        return d is null ? null : new DescriptorView(d.Vector, d.Version, d.SampleCount, d.AggregatorId);
    }

    async Task<long> IIdentityGrain.RefreshDescriptor(CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        await RefreshDescriptorAsync(cancellationToken);
        return _state.Descriptor?.Version ?? 0;
    }

    async Task<EnrollmentResult> IIdentityGrain.Enroll(IReadOnlyList<FaceSample> samples, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        SampleRules.ValidateBatch(samples, limits.EmbeddingDimension, limits.MaxSamplesPerRequest);
        await EnsureLoadedAsync(cancellationToken);
        try
        {
            var wasNew = _state.Identity is null;
            var change = await store.AppendSamplesAsync(_key, _state.Revision, samples, cancellationToken);
            if (wasNew || change.CurrentSamples is not null)
            {
                // Created just now, or another activation wrote in between: take the store's word.
                await ReloadAsync(cancellationToken);
            }
            else
            {
                ApplyAppended(samples, change);
            }

            telemetry.RecordSamplesEnrolled(change.Accepted.Count, _key.Tenant);
            await RefreshDescriptorAsync(cancellationToken);
            IdentityLog.Enrolled(logger, _key.GrainKey, change.Accepted.Count, change.Duplicates.Count, _state.Samples.Count);
            return new EnrollmentResult(_key.IdentityId, change.Accepted, change.Duplicates,
                _state.Samples.Count, _state.Descriptor?.Version ?? 0);
        }
        catch
        {
            // A half-finished write leaves memory and store out of step: reload before the next call.
            _loaded = false;
            throw;
        }
    }

    async Task<bool> IIdentityGrain.RemoveSample(string sampleId, CancellationToken cancellationToken)
    {
        await EnsureLoadedAsync(cancellationToken);
        if (_state.Identity is null)
        {
            throw new GalleryException(ErrorCodes.NotFound, $"identity '{_key.IdentityId}' does not exist.");
        }

        try
        {
            var change = await store.RemoveSampleAsync(_key, _state.Revision, sampleId, cancellationToken);
            if (change.CurrentSamples is not null)
            {
                await ReloadAsync(cancellationToken);
            }
            else if (change.Accepted.Count > 0)
            {
                _state.Samples.RemoveAll(s => s.SampleId == sampleId);
                _state.SetIdentity(_state.Identity with
                {
                    Revision = change.Revision,
                    SampleCount = _state.Samples.Count,
                    UpdatedAt = clock.GetUtcNow(),
                });
            }

            await RefreshDescriptorAsync(cancellationToken);
            return change.Accepted.Count > 0;
        }
        catch
        {
            _loaded = false;
            throw;
        }
    }

    async Task<bool> IIdentityGrain.Delete(CancellationToken cancellationToken)
    {
        var existed = await store.DeleteIdentityAsync(_key, cancellationToken);
        _state.Clear();
        _loaded = true;
        DeactivateOnIdle();
        return existed;
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        await ReloadAsync(cancellationToken);
        // A crash between storing samples and storing their descriptor leaves the descriptor
        // behind; the next activation repairs it before answering anything.
        await RefreshDescriptorAsync(cancellationToken);
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        _state.Load(await store.LoadIdentityAsync(_key, cancellationToken));
        _loaded = true;
    }

    private void ApplyAppended(IReadOnlyList<FaceSample> samples, SampleChange change)
    {
        var now = clock.GetUtcNow();
        var accepted = change.Accepted.ToHashSet(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            if (accepted.Contains(sample.SampleId))
            {
                _state.Samples.Add(new StoredSample(sample.SampleId, sample.Embedding, sample.Quality,
                    sample.ModelId, sample.ContentHash, now));
            }
        }

        _state.SetIdentity(_state.Identity! with
        {
            Revision = change.Revision,
            SampleCount = _state.Samples.Count,
            UpdatedAt = accepted.Count > 0 ? now : _state.Identity.UpdatedAt,
        });
    }

    /// <summary>Brings the stored descriptor in line with the samples held now.</summary>
    private async Task RefreshDescriptorAsync(CancellationToken cancellationToken)
    {
        if (_state.Identity is null)
        {
            return;
        }

        var stale = !_state.DescriptorIsCurrent
            || (_state.Descriptor is not null && _state.Descriptor.AggregatorId != aggregator.Id);
        if (!stale)
        {
            return;
        }

        if (_state.Samples.Count == 0)
        {
            await store.DeleteDescriptorAsync(_key, cancellationToken);
            _state.Descriptor = null;
            return;
        }

        var members = _state.Samples.Select(s => new SetMember(s.Embedding, s.Quality)).ToArray();
        var started = clock.GetTimestamp();
        SetDescriptor set;
        using (var activity = GalleryTelemetry.ActivitySource.StartActivity("aggregate descriptor"))
        {
            activity?.SetTag("facegallery.aggregator", aggregator.Id);
            activity?.SetTag("facegallery.samples", members.Length);
            set = await aggregator.AggregateAsync(members, cancellationToken);
        }

        telemetry.RecordRecomputation(clock.GetElapsedTime(started), aggregator.Id);
        var descriptor = new StoredDescriptor(set.Vector, _state.Revision, _state.Samples.Count,
            set.Coreset.Select(i => _state.Samples[i].SampleId).ToArray(), aggregator.Id, clock.GetUtcNow());
        if (await store.SaveDescriptorAsync(_key, descriptor, cancellationToken))
        {
            _state.Descriptor = descriptor;
            IdentityLog.DescriptorStored(logger, _key.GrainKey, descriptor.Version, descriptor.SampleCount);
            return;
        }

        // A newer descriptor is stored: another activation got ahead of this one. Its descriptor
        // covers at least every sample this one stored, so adopt the store's state.
        IdentityLog.DescriptorSuperseded(logger, _key.GrainKey, descriptor.Version);
        await ReloadAsync(cancellationToken);
    }

    private IdentitySummary Summarize()
    {
        var identity = _state.Identity!;
        return new IdentitySummary(identity.IdentityId, identity.DisplayName, identity.MetadataJson,
            _state.Samples.Count, _state.Descriptor?.Version ?? 0, _state.Descriptor?.Coreset ?? [],
            identity.CreatedAt, identity.UpdatedAt);
    }
}
