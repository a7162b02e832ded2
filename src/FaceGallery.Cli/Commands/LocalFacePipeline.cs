using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Imaging;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FaceGallery.Cli.Commands;

/// <summary>One face as the CLI prints it: box [x, y, w, h], quality in [0, 1], raw 128-D descriptor.</summary>
public sealed record CliFace(int[] Box, float Quality, float[] Embedding);

/// <summary>The server's face pipeline in this process: same models, same options, CPU unless CUDA is there.</summary>
public sealed class LocalFacePipeline : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly ImageDecoder _decoder;
    private readonly FaceAnalyzer _analyzer;

    public LocalFacePipeline()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddFaceAnalysis();
        // The same settings the server reads, from the environment (FaceGallery__Quality__Estimator=v1|learned).
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        services.Configure<FaceQualityOptions>(configuration.GetSection(FaceQualityOptions.SectionName));
        var accelerator = Environment.GetEnvironmentVariable("FaceGallery__Accelerator");
        services.Configure<OnnxRuntimeOptions>(o => o.Accelerator = Enum.TryParse<Accelerator>(accelerator, ignoreCase: true, out var a) ? a : Accelerator.Auto);
        _services = services.BuildServiceProvider();
        _decoder = _services.GetRequiredService<ImageDecoder>();
        _analyzer = _services.GetRequiredService<FaceAnalyzer>();
    }

    /// <summary>Every face of a photo, largest first.</summary>
    public async Task<IReadOnlyList<CliFace>> DetectAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        var faces = await _analyzer.AnalyzeAndEmbedAsync(bytes, cancellationToken);
        return faces.OrderByDescending(f => f.Box.Area).Select(f => new CliFace(
            [(int)Math.Round(f.Box.X), (int)Math.Round(f.Box.Y), (int)Math.Round(f.Box.Width), (int)Math.Round(f.Box.Height)],
            f.Quality, f.Embedding)).ToArray();
    }

    /// <summary>An already aligned 150×150 chip (no detection or landmarks; see <see cref="FaceAnalyzer.EmbedChipAsync"/>).</summary>
    public async Task<CliFace> EmbedChipAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        var chip = _decoder.Decode(bytes);
        if (chip.Width != AlignedFaceChip.Size || chip.Height != AlignedFaceChip.Size)
        {
            throw new InvalidDataException($"an aligned chip is {AlignedFaceChip.Size}×{AlignedFaceChip.Size}; this image is {chip.Width}×{chip.Height}");
        }

        var face = await _analyzer.EmbedChipAsync(chip, cancellationToken);
        return new CliFace([0, 0, chip.Width, chip.Height], face.Quality, face.Embedding);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
