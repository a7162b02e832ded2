using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FaceGallery.Inference.Telemetry;

/// <summary>
/// The project's own telemetry: one ActivitySource and one Meter, both named "FaceGallery".
/// Instruments are named <c>facegallery.*</c>; the Prometheus exporter writes them as
/// <c>facegallery_*</c> with unit suffixes. Registered once per process as a singleton; inference,
/// grains and the HTTP layer record through it.
/// </summary>
public sealed class GalleryTelemetry : IDisposable
{
    public const string Name = "FaceGallery";

    /// <summary>Stage tag of <c>facegallery.faces.processed</c>: faces found in photos.</summary>
    public const string DetectStage = "detect";

    /// <summary>Stage tag of <c>facegallery.faces.processed</c>: faces turned into embeddings.</summary>
    public const string EmbedStage = "embed";

    /// <summary>Spans for inference and aggregation; the host's tracer listens to this name.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter = new(Name);
    private readonly ConcurrentDictionary<string, long> _gallerySizes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Model, string Provider), int> _providers = new();
    private readonly ConcurrentDictionary<string, Func<long>> _queues = new(StringComparer.Ordinal);
    private readonly Histogram<double> _enroll;
    private readonly Histogram<double> _search;
    private readonly Histogram<double> _verify;
    private readonly Counter<long> _samplesEnrolled;
    private readonly Counter<long> _recomputations;
    private readonly Histogram<double> _recomputeDuration;
    private readonly Counter<long> _faces;
    private readonly Histogram<int> _batchSize;

    public GalleryTelemetry()
    {
        _enroll = _meter.CreateHistogram<double>("facegallery.enroll.duration", "s", "Time to answer an enrollment request");
        _search = _meter.CreateHistogram<double>("facegallery.search.duration", "s", "Time to answer a 1:N search");
        _verify = _meter.CreateHistogram<double>("facegallery.verify.duration", "s", "Time to answer a 1:1 verification");
        _samplesEnrolled = _meter.CreateCounter<long>("facegallery.samples.enrolled", "{sample}", "Face samples stored durably");
        _recomputations = _meter.CreateCounter<long>("facegallery.descriptor.recomputations", "{descriptor}", "Set descriptors recomputed");
        _recomputeDuration = _meter.CreateHistogram<double>("facegallery.descriptor.recompute.duration", "s", "Time to aggregate one identity's samples");
        _faces = _meter.CreateCounter<long>("facegallery.faces.processed", "{face}",
            "Faces found by detection (stage=detect) and embedded (stage=embed); rate() of it is faces per second");
        _batchSize = _meter.CreateHistogram<int>("facegallery.inference.batch.size", "{item}", "Items per inference batch",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });
        _meter.CreateObservableGauge("facegallery.inference.queue.depth", ObserveQueues, "{item}",
            "Items waiting in a model's batching queue at the moment of the scrape");
        _meter.CreateObservableGauge("facegallery.gallery.identities", ObserveGallerySizes, "{identity}", "Identities per tenant, as last sampled");
        _meter.CreateObservableGauge("facegallery.inference.execution_provider", ObserveProviders, null,
            "1 for each model and the execution provider it runs on");
    }

    public void RecordEnroll(TimeSpan elapsed, string tenant) => _enroll.Record(elapsed.TotalSeconds, Tenant(tenant));

    public void RecordSearch(TimeSpan elapsed, string tenant) => _search.Record(elapsed.TotalSeconds, Tenant(tenant));

    public void RecordVerify(TimeSpan elapsed, string tenant) => _verify.Record(elapsed.TotalSeconds, Tenant(tenant));

    public void RecordSamplesEnrolled(int count, string tenant)
    {
        if (count > 0)
        {
            _samplesEnrolled.Add(count, Tenant(tenant));
        }
    }

    public void RecordRecomputation(TimeSpan elapsed, string aggregator)
    {
        var tag = new KeyValuePair<string, object?>("aggregator", aggregator);
        _recomputations.Add(1, tag);
        _recomputeDuration.Record(elapsed.TotalSeconds, tag);
    }

    /// <summary>Hook for image inference: faces detected or embedded (stage: detect, embed).</summary>
    public void RecordFaces(int count, string stage) => _faces.Add(count, new KeyValuePair<string, object?>("stage", stage));

    /// <summary>Hook for batching inference: the size of each batch sent to a model.</summary>
    public void RecordBatch(int size, string model) => _batchSize.Record(size, new KeyValuePair<string, object?>("model", model));

    /// <summary>
    /// Hook for batching inference: <paramref name="depth"/> is read at each scrape for the queue-depth
    /// gauge until the returned handle is disposed.
    /// </summary>
    public IDisposable TrackQueue(string model, Func<long> depth)
    {
        _queues[model] = depth;
        return new QueueRegistration(this, model, depth);
    }

    /// <summary>Hook for session creation: which execution provider a model ended up on.</summary>
    public void SetExecutionProvider(string model, string provider)
    {
        foreach (var key in _providers.Keys.Where(k => k.Model == model && k.Provider != provider))
        {
            _providers.TryRemove(key, out _);
        }

        _providers[(model, provider)] = 1;
    }

    /// <summary>Sets the last sampled number of identities of a tenant (see the host's sampler).</summary>
    public void SetGallerySize(string tenant, long identities) => _gallerySizes[tenant] = identities;

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tenant(string tenant) => new("tenant", tenant);

    private IEnumerable<Measurement<long>> ObserveGallerySizes() =>
        _gallerySizes.Select(t => new Measurement<long>(t.Value, Tenant(t.Key)));

    private IEnumerable<Measurement<long>> ObserveQueues() =>
        _queues.Select(q => new Measurement<long>(q.Value(), new KeyValuePair<string, object?>("model", q.Key)));

    private IEnumerable<Measurement<int>> ObserveProviders() =>
        _providers.Select(p => new Measurement<int>(p.Value,
            new KeyValuePair<string, object?>("model", p.Key.Model), new KeyValuePair<string, object?>("provider", p.Key.Provider)));

    private sealed class QueueRegistration(GalleryTelemetry owner, string model, Func<long> depth) : IDisposable
    {
        // Removes only its own probe: a newer queue of the same model may have taken the name since.
        public void Dispose() => owner._queues.TryRemove(new KeyValuePair<string, Func<long>>(model, depth));
    }
}
