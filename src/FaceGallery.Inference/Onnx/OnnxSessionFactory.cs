using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using FaceGallery.Inference.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FaceGallery.Inference.Onnx;

/// <summary>
/// Creates one <see cref="InferenceSession"/> per model and keeps it for the factory's lifetime; register
/// the factory as a singleton so that means one per process. CUDA is tried when the accelerator is
/// `cuda` or `auto`; when the build or the machine cannot provide it the reason is logged and the model
/// runs on CPU, so a silo without a GPU still serves.
/// </summary>
public sealed class OnnxSessionFactory : IDisposable
{
    private readonly OnnxRuntimeOptions options;
    private readonly ILogger<OnnxSessionFactory> logger;
    private readonly GalleryTelemetry? telemetry;
    private readonly ConcurrentDictionary<string, Lazy<ModelSession>> sessions = new(StringComparer.Ordinal);
    private bool disposed;

    /// <param name="telemetry">Told which execution provider each model ended up on; none outside a host.</param>
    public OnnxSessionFactory(IOptions<OnnxRuntimeOptions> options, ILogger<OnnxSessionFactory> logger, GalleryTelemetry? telemetry = null)
    {
        this.options = options.Value;
        this.logger = logger;
        this.telemetry = telemetry;
    }

    /// <summary>Sessions loaded so far, e.g. for `GET /v1/models`.</summary>
    public IReadOnlyCollection<ModelSession> LoadedSessions =>
        sessions.Values.Where(s => s.IsValueCreated).Select(s => s.Value).ToArray();

    /// <summary>
    /// The model's session, loading (and warming) it on first use. The first caller's options decide how a
    /// model is loaded; later callers share that session.
    /// </summary>
    public ModelSession GetSession(OnnxModelOptions model)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var lazy = sessions.GetOrAdd(model.Name, _ => new Lazy<ModelSession>(() => Load(model), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // Forget the failure so a corrected file or setting can be picked up by the next call.
            sessions.TryRemove(new KeyValuePair<string, Lazy<ModelSession>>(model.Name, lazy));
            throw;
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        foreach (var lazy in sessions.Values)
        {
            if (lazy.IsValueCreated)
            {
                lazy.Value.Release();
            }
        }

        sessions.Clear();
    }

    private ModelSession Load(OnnxModelOptions model)
    {
        var modelsDirectory = ModelLocator.FindModelsDirectory(options.ModelsPath);
        var manifest = ModelManifest.Load(ModelLocator.ManifestPath(modelsDirectory, model.Name));
        if (options.VerifyChecksums)
        {
            VerifyChecksum(manifest);
        }

        var accelerator = model.Accelerator ?? options.Accelerator;
        var threads = model.IntraOpNumThreads ?? options.IntraOpNumThreads;
        ModelSession? loaded = null;
        if (accelerator != Accelerator.Cpu)
        {
            loaded = TryLoadOnCuda(manifest, threads, accelerator);
        }

        loaded ??= LoadOnCpu(manifest, threads);
        InferenceLog.ModelLoaded(logger, manifest.Name, loaded.Provider, manifest.ModelPath);
        telemetry?.SetExecutionProvider(manifest.Name, loaded.Provider);
        if (model.WarmUp)
        {
            WarmUp(loaded);
        }

        return loaded;
    }

    private ModelSession? TryLoadOnCuda(ModelManifest manifest, int threads, Accelerator requested)
    {
        var sessionOptions = CreateSessionOptions(threads);
        try
        {
            sessionOptions.AppendExecutionProvider_CUDA(options.CudaDeviceId);
            var session = new InferenceSession(manifest.ModelPath, sessionOptions);
            return new ModelSession(manifest, session, sessionOptions, ModelSession.CudaProvider);
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            // CPU builds lack the CUDA entry point; GPU builds throw when no device or driver is present.
            // The failed options may hold a half-registered provider, hence a fresh set for CPU.
            sessionOptions.Dispose();
            InferenceLog.CudaUnavailable(logger, manifest.Name, requested, ex.GetType().Name, ex.Message);
            return null;
        }
    }

    private static ModelSession LoadOnCpu(ModelManifest manifest, int threads)
    {
        var sessionOptions = CreateSessionOptions(threads);
        try
        {
            var session = new InferenceSession(manifest.ModelPath, sessionOptions);
            return new ModelSession(manifest, session, sessionOptions, ModelSession.CpuProvider);
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static SessionOptions CreateSessionOptions(int threads)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (threads > 0)
        {
            sessionOptions.IntraOpNumThreads = threads;
        }

        return sessionOptions;
    }

    private static void VerifyChecksum(ModelManifest manifest)
    {
        using var stream = File.OpenRead(manifest.ModelPath);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(actual, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"{manifest.ModelPath} has SHA-256 {actual}, but its manifest pins {manifest.Sha256}.");
        }
    }

    /// <summary>
    /// One batch-1 run of zeros per float input: ONNX Runtime allocates its arenas and (on CUDA) picks
    /// kernels on the first run, which would otherwise land on the first real request.
    /// </summary>
    private void WarmUp(ModelSession model)
    {
        var stopwatch = Stopwatch.StartNew();
        var names = new List<string>();
        var values = new List<OrtValue>();
        try
        {
            foreach (var (name, metadata) in model.Session.InputMetadata)
            {
                if (metadata.ElementDataType != TensorElementType.Float)
                {
                    InferenceLog.WarmUpSkipped(logger, model.Manifest.Name, name);
                    return;
                }

                var shape = metadata.Dimensions.Select(d => d > 0 ? (long)d : 1L).ToArray();
                var length = shape.Aggregate(1L, (a, b) => a * b);
                names.Add(name);
                values.Add(OrtValue.CreateTensorValueFromMemory(new float[length], shape));
            }

            using var runOptions = new RunOptions();
            using var outputs = model.Session.Run(runOptions, names, values, model.Session.OutputNames);
            InferenceLog.WarmedUp(logger, model.Manifest.Name, stopwatch.Elapsed.TotalMilliseconds);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }
}
