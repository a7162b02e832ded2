using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Inference.Coreset;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceGallery.Benchmarks;

/// <summary>
/// Time to recompute one identity's descriptor from all of its faces, N = 1 … 10 000: FaceCoresetNet in
/// ONNX Runtime against the quality-weighted mean it replaces. ONNX Runtime runs on one intra-op thread
/// so the curve shows the work per face rather than how many cores happened to be free.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SetAggregationBenchmarks : IDisposable
{
    private readonly MeanAggregator qualityMean = new(qualityWeighted: true);
    private OnnxSessionFactory? sessions;
    private CoresetAggregator? coreset;
    private SetMember[] members = [];

    [Params(1, 10, 100, 1_000, 10_000)]
    public int Faces { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        sessions = new OnnxSessionFactory(
            Options.Create(new OnnxRuntimeOptions { Accelerator = Accelerator.Cpu, IntraOpNumThreads = 1 }),
            NullLogger<OnnxSessionFactory>.Instance);
        coreset = new CoresetAggregator(sessions, Options.Create(new CoresetAggregatorOptions()), NullLogger<CoresetAggregator>.Instance);
        var random = new Random(1);
        members = new SetMember[Faces];
        for (var i = 0; i < Faces; i++)
        {
            var embedding = new float[coreset.Dimension];
            for (var c = 0; c < embedding.Length; c++)
            {
                embedding[c] = 1f + (float)(random.NextDouble() - 0.5);
            }

            members[i] = new SetMember(embedding, (float)random.NextDouble());
        }
    }

    // MeanAggregator completes synchronously; awaiting would only add the async state machine to the timing.
    [Benchmark(Baseline = true)]
    public SetDescriptor QualityMean()
    {
        var pending = qualityMean.AggregateAsync(members, CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public SetDescriptor FaceCoresetNet() => coreset!.Aggregate(members);

    [GlobalCleanup]
    public void Dispose()
    {
        sessions?.Dispose();
        sessions = null;
        GC.SuppressFinalize(this);
    }
}
