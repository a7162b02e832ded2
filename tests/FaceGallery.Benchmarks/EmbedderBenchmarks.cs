using BenchmarkDotNet.Attributes;
using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceGallery.Benchmarks;

/// <summary>
/// One ONNX Runtime run of the face network per invocation at batch 1, 8 and 32 (the queue bypassed, so
/// this is the model's cost, not the batcher's wait). The ms/face and GFLOP/s columns divide by the batch.
/// </summary>
[Config(typeof(PerFaceConfig))]
public class EmbedderBenchmarks : IDisposable
{
    private OnnxSessionFactory? sessions;
    private FaceEmbedder? embedder;
    private AlignedFaceChip[] chips = [];

    [Params(1, 8, 32)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        sessions = new OnnxSessionFactory(Options.Create(new OnnxRuntimeOptions { Accelerator = Accelerator.Cpu }), NullLogger<OnnxSessionFactory>.Instance);
        embedder = new FaceEmbedder(sessions, Options.Create(new FaceEmbedderOptions()), NullLogger<FaceEmbedder>.Instance);
        chips = JohnsChips.Load(Batch);
    }

    [Benchmark]
    public float[][] Embed() => embedder!.EmbedBatch(chips);

    [GlobalCleanup]
    public void Dispose()
    {
        embedder?.Dispose();
        sessions?.Dispose();
        GC.SuppressFinalize(this);
    }
}
