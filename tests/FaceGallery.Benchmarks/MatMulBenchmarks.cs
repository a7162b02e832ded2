using BenchmarkDotNet.Attributes;
using Microsoft.ML.OnnxRuntime;

namespace FaceGallery.Benchmarks;

/// <summary>
/// The machine's practical float32 peak: one N×N by N×N MatMul (2·N³ FLOPs) through ONNX Runtime's own
/// GEMM, with the same default threading the embedder uses.
/// </summary>
[Config(typeof(PerFaceConfig))]
public class MatMulBenchmarks : IDisposable
{
    private InferenceSession? session;
    private OrtValue? a;
    private OrtValue? b;
    private RunOptions? runOptions;

    [Params(1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        session = new InferenceSession(Path.Combine(AppContext.BaseDirectory, "Models", "matmul.onnx"));
        var random = new Random(1);
        var values = Enumerable.Range(0, N * N).Select(_ => random.NextSingle()).ToArray();
        a = OrtValue.CreateTensorValueFromMemory(values, [N, N]);
        b = OrtValue.CreateTensorValueFromMemory(values.ToArray(), [N, N]);
        runOptions = new RunOptions();
    }

    [Benchmark]
    public void MatMul()
    {
        using var outputs = session!.Run(runOptions!, ["a", "b"], [a!, b!], ["c"]);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        a?.Dispose();
        b?.Dispose();
        runOptions?.Dispose();
        session?.Dispose();
        GC.SuppressFinalize(this);
    }
}
