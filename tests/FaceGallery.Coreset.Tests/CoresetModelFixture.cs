using FaceGallery.Inference.Coreset;
using FaceGallery.Inference.Onnx;
using FaceGallery.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceGallery.Coreset.Tests;

/// <summary>
/// One ONNX session and one reference per test run, as in a server process. The provider comes from
/// `FACEGALLERY_TEST_ACCELERATOR` (cpu by default, so results do not depend on the machine).
/// </summary>
public sealed class CoresetModelFixture : IDisposable
{
    public CoresetModelFixture()
    {
        ModelDirectory = Path.Combine(RepoPaths.Root, ModelLocator.ModelsFolderName, new CoresetAggregatorOptions().Model);
        var accelerator = Enum.TryParse<Accelerator>(Environment.GetEnvironmentVariable("FACEGALLERY_TEST_ACCELERATOR"), ignoreCase: true, out var a)
            ? a
            : Accelerator.Cpu;
        Sessions = new OnnxSessionFactory(
            Options.Create(new OnnxRuntimeOptions { Accelerator = accelerator, ModelsPath = Path.Combine(RepoPaths.Root, ModelLocator.ModelsFolderName) }),
            NullLogger<OnnxSessionFactory>.Instance);
        Aggregator = new CoresetAggregator(Sessions, Options.Create(new CoresetAggregatorOptions()), NullLogger<CoresetAggregator>.Instance);
        Reference = FaceCoresetNetReference.Load(ModelDirectory);
    }

    public string ModelDirectory { get; }

    public OnnxSessionFactory Sessions { get; }

    public CoresetAggregator Aggregator { get; }

    public FaceCoresetNetReference Reference { get; }

    public void Dispose() => Sessions.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CoresetModelCollection : ICollectionFixture<CoresetModelFixture>
{
    public const string Name = "FaceCoresetNet model";
}
