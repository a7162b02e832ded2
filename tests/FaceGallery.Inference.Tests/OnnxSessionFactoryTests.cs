using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceGallery.Inference.Tests;

[Collection(EmbedderCollection.Name)]
public sealed class OnnxSessionFactoryTests(EmbedderFixture fixture)
{
    private const string ModelName = "dlib-resnet-v1";

    [Fact]
    public void A_model_has_one_session_per_factory()
    {
        var first = fixture.Sessions.GetSession(new OnnxModelOptions(ModelName));
        var second = fixture.Sessions.GetSession(new OnnxModelOptions(ModelName) { WarmUp = false });

        Assert.Same(first, second);
        Assert.Same(first, fixture.Embedder.Session);
        Assert.Contains(first, fixture.Sessions.LoadedSessions);
    }

    [Fact]
    public void Asking_for_cuda_runs_on_cuda_or_falls_back_to_cpu_and_says_why()
    {
        var logger = new RecordingLogger<OnnxSessionFactory>();
        using var factory = new OnnxSessionFactory(Options.Create(new OnnxRuntimeOptions { Accelerator = Accelerator.Cuda }), logger);

        var session = factory.GetSession(new OnnxModelOptions(ModelName));

        if (session.Provider == ModelSession.CpuProvider)
        {
            var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
            Assert.Equal(1001, warning.EventId.Id);
            Assert.Contains("CUDA", warning.Message, StringComparison.Ordinal);
            Assert.Equal(Accelerator.Cpu, session.Accelerator);
        }
        else
        {
            Assert.Equal(ModelSession.CudaProvider, session.Provider);
        }

        Assert.Contains(logger.Entries, e => e.EventId.Id == 1002); // warmed up
    }

    [Fact]
    public void Cpu_is_used_without_trying_cuda_when_asked_for()
    {
        var logger = new RecordingLogger<OnnxSessionFactory>();
        using var factory = new OnnxSessionFactory(Options.Create(new OnnxRuntimeOptions { Accelerator = Accelerator.Cpu }), logger);

        var session = factory.GetSession(new OnnxModelOptions(ModelName) { WarmUp = false });

        Assert.Equal(ModelSession.CpuProvider, session.Provider);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public void A_model_file_that_does_not_match_its_manifest_hash_is_refused()
    {
        var models = Directory.CreateTempSubdirectory("facegallery-models-");
        try
        {
            var real = ModelManifest.Load(ModelLocator.ManifestPath(ModelLocator.FindModelsDirectory(null), ModelName));
            var folder = Directory.CreateDirectory(Path.Combine(models.FullName, "tampered"));
            var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(real.Directory, ModelManifest.FileName)))!;
            manifest["file"] = real.ModelPath;
            manifest["sha256"] = new string('0', 64);
            File.WriteAllText(Path.Combine(folder.FullName, ModelManifest.FileName), manifest.ToJsonString());
            using var factory = new OnnxSessionFactory(
                Options.Create(new OnnxRuntimeOptions { ModelsPath = models.FullName }), new RecordingLogger<OnnxSessionFactory>());

            var error = Assert.Throws<InvalidDataException>(() => factory.GetSession(new OnnxModelOptions("tampered")));

            Assert.Contains(real.Sha256, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            models.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_committed_manifest_pins_the_committed_model_file()
    {
        var manifest = ModelManifest.Load(ModelLocator.ManifestPath(ModelLocator.FindModelsDirectory(null), ModelName));

        using var stream = File.OpenRead(manifest.ModelPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stream)), manifest.Sha256);
        Assert.Equal("CC0-1.0", manifest.Licence);
        Assert.Equal("image", manifest.Input.Name);
        Assert.Equal([-1, 3, 150, 150], manifest.Input.Shape);
        Assert.Equal("embedding", manifest.Output.Name);
        Assert.Equal(128, manifest.Embedding!.Dimension);
        Assert.Equal(0.6f, manifest.Embedding.Threshold);
        Assert.Equal("euclidean", manifest.Embedding.Distance);
        Assert.Equal("19.24+dfsg-1", manifest.Source!.Version);
    }

    [Fact]
    public void The_models_folder_is_found_above_the_start_directory_or_taken_from_configuration()
    {
        var root = Directory.CreateTempSubdirectory("facegallery-locate-");
        try
        {
            var models = Directory.CreateDirectory(Path.Combine(root.FullName, "models")).FullName;
            var nested = Directory.CreateDirectory(Path.Combine(root.FullName, "a", "b", "c")).FullName;

            Assert.Equal(models, ModelLocator.FindModelsDirectory(null, nested));
            Assert.Equal(nested, ModelLocator.FindModelsDirectory(nested, models));
            Assert.Throws<DirectoryNotFoundException>(() => ModelLocator.FindModelsDirectory(Path.Combine(root.FullName, "missing")));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
