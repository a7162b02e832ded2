using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace FaceGallery.Inference.Coreset;

/// <summary>
/// FaceCoresetNet (Shapira &amp; Keller, AAAI 2024) run by ONNX Runtime: a quality- and diversity-aware
/// coreset of min(3, N) faces refined by attention over the whole set, giving one unit descriptor per
/// set and the indices of the faces chosen. Thread-safe: every call owns its tensors and the process
/// shares one session per model (see <see cref="OnnxSessionFactory"/>). Cost is linear in the set size.
/// </summary>
public sealed class CoresetAggregator : ISetAggregator
{
    public const string EmbeddingsInput = "embeddings";
    public const string QualitiesInput = "qualities";
    public const string DescriptorOutput = "descriptor";
    public const string CoresetOutput = "coreset";

    private static readonly string[] InputNames = [EmbeddingsInput, QualitiesInput];
    private static readonly string[] OutputNames = [DescriptorOutput, CoresetOutput];

    private readonly ModelSession model;
    private readonly ILogger<CoresetAggregator> logger;

    public CoresetAggregator(OnnxSessionFactory sessions, IOptions<CoresetAggregatorOptions> options, ILogger<CoresetAggregator> logger)
    {
        this.logger = logger;
        model = sessions.GetSession(new OnnxModelOptions(options.Value.Model));
        var session = model.Session;
        foreach (var name in InputNames)
        {
            if (!session.InputMetadata.ContainsKey(name))
            {
                throw new InvalidDataException($"Model {model.Manifest.Name} has no input '{name}'.");
            }
        }

        foreach (var name in OutputNames)
        {
            if (!session.OutputMetadata.ContainsKey(name))
            {
                throw new InvalidDataException($"Model {model.Manifest.Name} has no output '{name}'.");
            }
        }

        var dims = session.InputMetadata[EmbeddingsInput].Dimensions;
        Dimension = dims.Length == 2 && dims[1] > 0
            ? dims[1]
            : throw new InvalidDataException($"Model {model.Manifest.Name}: input '{EmbeddingsInput}' must be N×D with a fixed D.");
        CoresetSize = ReadCoresetSize(model.Manifest);
        QualityMax = ReadQualityMax(model.Manifest);
        CoresetLog.Ready(logger, Id, model.Provider, Dimension);
    }

    /// <summary>The model's name from its manifest, e.g. `facecoresetnet-dlib128-v1`; stored beside each descriptor.</summary>
    public string Id => model.Manifest.Name;

    public int Dimension { get; }

    /// <summary>Most faces in a coreset (3 in the paper); a set of N faces gets min(N, this).</summary>
    public int CoresetSize { get; }

    /// <summary>
    /// Largest quality the weights accept: 1 for FaceGallery's [0, 1] scale; +∞ for converted checkpoints
    /// that take AdaFace feature norms (manifest `aggregator.qualityMax` null).
    /// </summary>
    public float QualityMax { get; }

    public ModelManifest Manifest => model.Manifest;

    /// <summary>ONNX Runtime's name of the execution provider the session runs on.</summary>
    public string Provider => model.Provider;

    public ValueTask<SetDescriptor> AggregateAsync(IReadOnlyList<SetMember> members, CancellationToken cancellationToken)
    {
        // One run takes milliseconds even for thousands of faces: not worth a thread hop.
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Aggregate(members));
    }

    /// <summary>
    /// The order the model sees the faces in: best quality first, ties broken by the embedding's
    /// values. The model's argmax takes the first of equal candidates, so without this the coreset of
    /// a set with tied qualities would depend on the order samples happened to be stored in.
    /// </summary>
    private static int[] CanonicalOrder(IReadOnlyList<SetMember> members)
    {
        var order = new int[members.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            var byQuality = members[b].Quality.CompareTo(members[a].Quality);
            return byQuality != 0 ? byQuality : members[a].Embedding.Span.SequenceCompareTo(members[b].Embedding.Span);
        });
        return order;
    }

    /// <summary>Runs the model on the calling thread.</summary>
    public SetDescriptor Aggregate(IReadOnlyList<SetMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentOutOfRangeException.ThrowIfZero(members.Count);
        var stopwatch = Stopwatch.StartNew();
        var count = members.Count;
        var order = CanonicalOrder(members);
        var embeddings = ArrayPool<float>.Shared.Rent(count * Dimension);
        var qualities = ArrayPool<float>.Shared.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var member = members[order[i]];
                if (member.Embedding.Length != Dimension)
                {
                    throw new ArgumentException(
                        $"Face {order[i]} has {member.Embedding.Length} values; {Id} takes {Dimension}.", nameof(members));
                }

                if (!float.IsFinite(member.Quality) || member.Quality < 0f || member.Quality > QualityMax)
                {
                    throw new ArgumentOutOfRangeException(nameof(members), member.Quality, $"Face {order[i]}: quality must lie in [0, {QualityMax}].");
                }

                member.Embedding.Span.CopyTo(embeddings.AsSpan(i * Dimension, Dimension));
                qualities[i] = member.Quality;
            }

            using var embeddingsValue = OrtValue.CreateTensorValueFromMemory(
                OrtMemoryInfo.DefaultInstance, embeddings.AsMemory(0, count * Dimension), [count, Dimension]);
            using var qualitiesValue = OrtValue.CreateTensorValueFromMemory(
                OrtMemoryInfo.DefaultInstance, qualities.AsMemory(0, count), [count]);
            using var runOptions = new RunOptions();
            using var outputs = model.Session.Run(runOptions, InputNames, [embeddingsValue, qualitiesValue], OutputNames);
            var descriptor = outputs[0].GetTensorDataAsSpan<float>().ToArray();
            var picked = outputs[1].GetTensorDataAsSpan<long>();
            if (descriptor.Length != Dimension || picked.Length != Math.Min(count, CoresetSize))
            {
                throw new InvalidDataException(
                    $"Model {Id} returned {descriptor.Length} descriptor values and {picked.Length} coreset indices for {count} faces.");
            }

            var coreset = new int[picked.Length];
            for (var i = 0; i < coreset.Length; i++)
            {
                coreset[i] = order[checked((int)picked[i])];
            }

            CoresetLog.Aggregated(logger, count, stopwatch.Elapsed.TotalMilliseconds);
            return new SetDescriptor(descriptor, coreset);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(embeddings);
            ArrayPool<float>.Shared.Return(qualities);
        }
    }

    private static int ReadCoresetSize(ModelManifest manifest)
    {
        const int PaperCoresetSize = 3;
        return AggregatorSetting(manifest, "coresetSize") is { ValueKind: JsonValueKind.Number } size && size.TryGetInt32(out var value)
            ? value
            : PaperCoresetSize;
    }

    private static float ReadQualityMax(ModelManifest manifest) => AggregatorSetting(manifest, "qualityMax") switch
    {
        { ValueKind: JsonValueKind.Null } => float.PositiveInfinity,
        { ValueKind: JsonValueKind.Number } max => max.GetSingle(),
        _ => 1f,
    };

    private static JsonElement? AggregatorSetting(ModelManifest manifest, string name) =>
        manifest.Extra is not null
        && manifest.Extra.TryGetValue("aggregator", out var aggregator)
        && aggregator.ValueKind == JsonValueKind.Object
        && aggregator.TryGetProperty(name, out var setting)
            ? setting
            : null;
}
