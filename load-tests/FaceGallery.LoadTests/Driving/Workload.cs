using FaceGallery.Testing;

namespace FaceGallery.LoadTests.Driving;

/// <summary>
/// Requests with realistic content: identity-structured embeddings (samples of one person lie close
/// together), deterministic sample ids so a retried enrollment is a duplicate rather than a second
/// sample, and search probes drawn from identities that were acknowledged.
/// </summary>
public sealed class Workload(LoadSettings settings)
{
    private readonly SyntheticGallery _faces = new(settings.Dimension, settings.Seed);
    private readonly Random _random = new(settings.Seed + 1);
    private readonly List<string> _known = [];
    private readonly HashSet<string> _knownSet = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// The k-th enrollment. Identities are filled in windows: every identity of a window gets its
    /// first sample before any gets its second, so new identities (new activations) keep arriving.
    /// </summary>
    public Enrollment Enrollment(long k)
    {
        long window = settings.IdentityWindow;
        var depth = settings.SamplesPerIdentity;
        var block = k / (window * depth);
        var within = k % (window * depth);
        var identity = IdentityId((block * window) + (within % window));
        var sample = within / window;
        lock (_gate)
        {
            return new Enrollment(identity, $"{identity}-s{sample}", _faces.Sample(identity), 0.3f + (0.7f * (float)_random.NextDouble()));
        }
    }

    /// <summary>The preload: identity <paramref name="i"/> with two samples in one request.</summary>
    public IReadOnlyList<Enrollment> Preloaded(int i)
    {
        var identity = $"{settings.IdPrefix}-pre-{i:D6}";
        lock (_gate)
        {
            return [.. Enumerable.Range(0, 2).Select(s =>
                new Enrollment(identity, $"{identity}-s{s}", _faces.Sample(identity), 0.3f + (0.7f * (float)_random.NextDouble())))];
        }
    }

    /// <summary>A fresh face of an acknowledged identity (whose descriptor search should rank first).</summary>
    public SearchProbe? Probe()
    {
        lock (_gate)
        {
            if (_known.Count == 0)
            {
                return null;
            }

            var identity = _known[_random.Next(_known.Count)];
            return new SearchProbe(identity, _faces.Sample(identity));
        }
    }

    public bool NextIsEnrollment()
    {
        lock (_gate)
        {
            return _random.NextDouble() < settings.EnrollShare;
        }
    }

    public void Acknowledged(string identityId)
    {
        lock (_gate)
        {
            if (_knownSet.Add(identityId))
            {
                _known.Add(identityId);
            }
        }
    }

    private string IdentityId(long index) => $"{settings.IdPrefix}-{index:D7}";
}

public sealed record Enrollment(string IdentityId, string SampleId, float[] Embedding, float Quality);

public sealed record SearchProbe(string ExpectedIdentityId, float[] Embedding);
