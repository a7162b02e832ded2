using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;
using FaceGallery.Inference.Onnx;
using FaceGallery.Inference.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace FaceGallery.Inference.Faces;

/// <summary>
/// dlib's ResNet face network (ONNX) behind a dynamic batcher. Concurrent <see cref="EmbedAsync(AlignedFaceChip, CancellationToken)"/>
/// calls are queued and gathered into one ONNX Runtime run of up to <see cref="FaceEmbedderOptions.MaxBatchSize"/>
/// chips, waiting at most <see cref="FaceEmbedderOptions.MaxBatchDelay"/> for company. Thread-safe.
/// </summary>
public sealed class FaceEmbedder : IFaceEmbedder, IDisposable, IAsyncDisposable
{
    private readonly ModelSession model;
    private readonly FaceEmbedderOptions options;
    private readonly ILogger<FaceEmbedder> logger;
    private readonly Channel<PendingChip> queue;
    private readonly Task[] workers;
    private readonly string[] inputNames;
    private readonly string[] outputNames;
    private readonly GalleryTelemetry? telemetry;
    private readonly IDisposable? queueProbe;
    private long batches;
    private long chipsEmbedded;
    private int largestBatch;
    private int disposed;

    /// <param name="telemetry">Where batch sizes, queue depth and embedded faces are reported; none outside a host.</param>
    public FaceEmbedder(OnnxSessionFactory sessions, IOptions<FaceEmbedderOptions> options, ILogger<FaceEmbedder> logger,
        GalleryTelemetry? telemetry = null)
    {
        this.options = options.Value;
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxConcurrentBatches, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.QueueCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxBatchDelay, TimeSpan.Zero);
        this.logger = logger;
        model = sessions.GetSession(new OnnxModelOptions(this.options.Model));

        var manifest = model.Manifest;
        Dimension = manifest.Embedding?.Dimension
            ?? throw new InvalidDataException($"Model {manifest.Name} has no embedding section in its manifest.");
        if (!model.Session.InputMetadata.ContainsKey(manifest.Input.Name) || !model.Session.OutputMetadata.ContainsKey(manifest.Output.Name))
        {
            throw new InvalidDataException(
                $"Model {manifest.Name}: the graph lacks input '{manifest.Input.Name}' or output '{manifest.Output.Name}' named by its manifest.");
        }

        inputNames = [manifest.Input.Name];
        outputNames = [manifest.Output.Name];
        queue = Channel.CreateBounded<PendingChip>(new BoundedChannelOptions(this.options.QueueCapacity)
        {
            SingleReader = this.options.MaxConcurrentBatches == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        this.telemetry = telemetry;
        queueProbe = telemetry?.TrackQueue(manifest.Name, () => queue.Reader.Count);
        workers = new Task[this.options.MaxConcurrentBatches];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(GatherAndRunAsync);
        }
    }

    public ModelManifest Manifest => model.Manifest;

    public string Provider => model.Provider;

    public int Dimension { get; }

    /// <summary>The shared session this embedder runs on.</summary>
    internal ModelSession Session => model;

    /// <summary>Counts since start: runs, chips, and the largest batch gathered.</summary>
    public EmbedderStatistics Statistics =>
        new(Interlocked.Read(ref batches), Interlocked.Read(ref chipsEmbedded), Volatile.Read(ref largestBatch));

    public async Task<float[]> EmbedAsync(AlignedFaceChip chip, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        Validate(chip);
        var pending = new PendingChip(chip, cancellationToken);
        try
        {
            await queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            // Disposal raced with this call after the check above.
            throw new ObjectDisposedException(nameof(FaceEmbedder));
        }

        return await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    public async Task<float[][]> EmbedAsync(IReadOnlyList<AlignedFaceChip> chips, CancellationToken cancellationToken)
    {
        // The caller's span covers waiting in the queue and the shared run its chips went into.
        using var activity = GalleryTelemetry.ActivitySource.StartActivity("embed faces");
        activity?.SetTag("facegallery.model", Manifest.Name);
        activity?.SetTag("facegallery.provider", Provider);
        activity?.SetTag("facegallery.faces", chips.Count);

        // Each chip queues on its own so a large request shares runs with everyone else's instead of
        // holding the model for its whole length.
        var tasks = new Task<float[]>[chips.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            tasks[i] = EmbedAsync(chips[i], cancellationToken);
        }

        return await Task.WhenAll(tasks);
    }

    /// <summary>
    /// Runs exactly these chips as one ONNX Runtime batch on the calling thread, bypassing the queue:
    /// for benchmarks and for callers that already hold a full batch.
    /// </summary>
    public float[][] EmbedBatch(IReadOnlyList<AlignedFaceChip> chips)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        if (chips.Count == 0)
        {
            return [];
        }

        foreach (var chip in chips)
        {
            Validate(chip);
        }

        return Run(chips);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Stops taking chips, lets the workers finish what is queued, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        queue.Writer.TryComplete();
        await Task.WhenAll(workers);
        queueProbe?.Dispose();
    }

    private static void Validate(AlignedFaceChip chip)
    {
        if (chip.Rgb.Length != AlignedFaceChip.ByteLength)
        {
            throw new ArgumentException($"Chip has {chip.Rgb.Length} bytes, expected {AlignedFaceChip.ByteLength}.", nameof(chip));
        }
    }

    private async Task GatherAndRunAsync()
    {
        var reader = queue.Reader;
        var batch = new List<PendingChip>(options.MaxBatchSize);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            await GatherAsync(reader, batch);
            RunPending(batch);
        }
    }

    private async Task GatherAsync(ChannelReader<PendingChip> reader, List<PendingChip> batch)
    {
        var waited = Stopwatch.StartNew();
        while (batch.Count < options.MaxBatchSize)
        {
            if (reader.TryRead(out var pending))
            {
                // A caller that gave up no longer needs its place in the run.
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Completion.TrySetCanceled(pending.CancellationToken);
                }
                else
                {
                    batch.Add(pending);
                }

                continue;
            }

            var remaining = options.MaxBatchDelay - waited.Elapsed;
            if (batch.Count == 0 || remaining <= TimeSpan.Zero)
            {
                if (batch.Count > 0 || !await reader.WaitToReadAsync())
                {
                    return;
                }

                waited.Restart();
                continue;
            }

            using var timeout = new CancellationTokenSource(remaining);
            try
            {
                if (!await reader.WaitToReadAsync(timeout.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void RunPending(List<PendingChip> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            var chips = new AlignedFaceChip[batch.Count];
            for (var i = 0; i < chips.Length; i++)
            {
                chips[i] = batch[i].Chip;
            }

            var descriptors = Run(chips);
            for (var i = 0; i < descriptors.Length; i++)
            {
                batch[i].Completion.TrySetResult(descriptors[i]);
            }
        }
        catch (Exception ex)
        {
            InferenceLog.EmbedBatchFailed(logger, ex, batch.Count);
            foreach (var pending in batch)
            {
                pending.Completion.TrySetException(ex);
            }
        }
    }

    private float[][] Run(IReadOnlyList<AlignedFaceChip> chips)
    {
        var stopwatch = Stopwatch.StartNew();
        var count = chips.Count;
        var length = count * ChipPreprocessing.FloatLength;
        var buffer = ArrayPool<float>.Shared.Rent(length);
        try
        {
            for (var i = 0; i < count; i++)
            {
                ChipPreprocessing.WritePlanar(chips[i].Rgb.Span, buffer.AsSpan(i * ChipPreprocessing.FloatLength, ChipPreprocessing.FloatLength));
            }

            long[] shape = [count, AlignedFaceChip.Channels, AlignedFaceChip.Size, AlignedFaceChip.Size];
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, length), shape);
            using var runOptions = new RunOptions();
            using var outputs = model.Session.Run(runOptions, inputNames, [input], outputNames);
            var flat = outputs[0].GetTensorDataAsSpan<float>();
            if (flat.Length != count * Dimension)
            {
                throw new InvalidDataException($"Model {Manifest.Name} returned {flat.Length} values for {count} chips of dimension {Dimension}.");
            }

            var descriptors = new float[count][];
            for (var i = 0; i < count; i++)
            {
                descriptors[i] = flat.Slice(i * Dimension, Dimension).ToArray();
            }

            Record(count, stopwatch.Elapsed);
            return descriptors;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private void Record(int count, TimeSpan elapsed)
    {
        Interlocked.Increment(ref batches);
        Interlocked.Add(ref chipsEmbedded, count);
        var largest = Volatile.Read(ref largestBatch);
        while (count > largest)
        {
            var seen = Interlocked.CompareExchange(ref largestBatch, count, largest);
            if (seen == largest)
            {
                break;
            }

            largest = seen;
        }

        telemetry?.RecordBatch(count, Manifest.Name);
        telemetry?.RecordFaces(count, GalleryTelemetry.EmbedStage);
        InferenceLog.EmbedBatchRan(logger, count, elapsed.TotalMilliseconds);
    }

    private sealed class PendingChip(AlignedFaceChip chip, CancellationToken cancellationToken)
    {
        public AlignedFaceChip Chip { get; } = chip;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<float[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What the embedder has done since it started.</summary>
public readonly record struct EmbedderStatistics(long Batches, long Chips, int LargestBatch);
