using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Imaging;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FaceGallery.Faces.Tests;

public sealed class QualityEstimatorSelectionTests(FacePipelineFixture fixture) : IClassFixture<FacePipelineFixture>
{
    private static readonly string GroupPhoto = Path.Combine(TestPaths.DlibPhotos, "bald_guys.jpg");

    [Theory]
    [InlineData(FaceQualityOptions.V1Estimator)]
    [InlineData(FaceQualityOptions.LearnedEstimator)]
    public async Task The_analyzer_reports_the_quality_of_the_configured_estimator(string estimator)
    {
        using var provider = Services(estimator);
        var analyzer = provider.GetRequiredService<FaceAnalyzer>();
        var image = fixture.Decode(GroupPhoto);

        var embedded = await analyzer.AnalyzeAndEmbedAsync(image, CancellationToken.None);
        var analyzed = analyzer.Analyze(image, CancellationToken.None);

        Assert.True(embedded.Count >= 10, $"{embedded.Count} faces");
        var v1 = analyzed.Select(f => f.Quality.Score).ToArray();
        var learned = fixture.LearnedQuality.Score(analyzed.Select((f, i) => Evidence(f, embedded[i].Embedding)).ToArray());
        var expected = estimator == FaceQualityOptions.V1Estimator ? v1 : learned;
        var other = estimator == FaceQualityOptions.V1Estimator ? learned : v1;
        var reported = embedded.Select(f => f.Quality).ToArray();
        Assert.Equal(expected, reported, (a, b) => Math.Abs(a - b) < 1e-6f);
        // The two estimators disagree on these faces, so reporting the wrong one cannot pass.
        Assert.Contains(reported.Zip(other), p => Math.Abs(p.First - p.Second) > 0.01f);
        Assert.All(embedded, f => Assert.Equal(estimator == FaceQualityOptions.V1Estimator ? "v1" : "quality-dlib128-v2", f.QualityEstimator));
    }

    [Fact]
    public void The_learned_estimator_is_the_default_and_an_unknown_estimator_fails_at_resolution()
    {
        using (var provider = Services(null))
        {
            Assert.Equal("quality-dlib128-v2", provider.GetRequiredService<FaceAnalyzer>().QualityEstimator);
        }

        using var wrong = Services("oracle");
        Assert.Throws<OptionsValidationException>(() => wrong.GetRequiredService<FaceAnalyzer>());
    }

    [Fact]
    public void Learned_scores_of_a_batch_equal_one_by_one_scores_and_lie_in_0_1()
    {
        var image = fixture.Decode(GroupPhoto);
        var faces = fixture.Analyzer.Analyze(image, CancellationToken.None);
        // Half the batch pixelated, so a constant or order-mixing model cannot pass.
        var chips = faces.Select(f => f.Chip).Concat(faces.Select(f => Pixelate(f.Chip, 10))).ToArray();
        var embeddings = fixture.Embedder.EmbedBatch(chips.Select(c => new AlignedFaceChip(c.Pixels)).ToArray());
        var evidence = chips.Select((c, i) => new QualityEvidence(c, 1.0, 0f, embeddings[i])).ToArray();

        var batch = fixture.LearnedQuality.Score(evidence);
        var single = evidence.Select(e => fixture.LearnedQuality.Score([e])[0]).ToArray();

        Assert.Equal(chips.Length, batch.Length);
        Assert.Equal(single, batch, (a, b) => Math.Abs(a - b) < 1e-5f);
        Assert.All(batch, q => Assert.InRange(q, 0f, 1f));
        var clean = batch.Take(faces.Count).Average();
        var pixelated = batch.Skip(faces.Count).Average();
        Assert.True(clean > pixelated + 0.1f, $"clean {clean:F3}, pixelated {pixelated:F3}");
    }

    [Fact]
    public async Task An_aligned_chip_is_scored_by_the_configured_estimator()
    {
        var chip = fixture.Decode(Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "tests", "data", "dlib", "johns", "John_Simm"), "*.jpg").Order(StringComparer.Ordinal).First());
        var learned = await fixture.Analyzer.EmbedChipAsync(chip, CancellationToken.None);
        var v1 = await fixture.NewAnalyzer(new HandMadeFaceQuality()).EmbedChipAsync(chip, CancellationToken.None);

        Assert.Equal(fixture.LearnedQuality.Score(learned.Embedding, chip, 1.0), learned.Quality, 1e-6f);
        Assert.Equal((float)FaceQualityEstimator.Sharpness(chip), v1.Quality, 1e-6f);
        Assert.Equal(learned.Embedding, v1.Embedding);
    }

    private static RgbImage Pixelate(RgbImage chip, int block)
    {
        var pixels = new byte[chip.Pixels.Length];
        for (var by = 0; by < chip.Height; by += block)
        {
            for (var bx = 0; bx < chip.Width; bx += block)
            {
                for (var c = 0; c < 3; c++)
                {
                    int sum = 0, count = 0;
                    for (var y = by; y < Math.Min(chip.Height, by + block); y++)
                    {
                        for (var x = bx; x < Math.Min(chip.Width, bx + block); x++)
                        {
                            sum += chip.Pixels[((y * chip.Width + x) * 3) + c];
                            count++;
                        }
                    }

                    for (var y = by; y < Math.Min(chip.Height, by + block); y++)
                    {
                        for (var x = bx; x < Math.Min(chip.Width, bx + block); x++)
                        {
                            pixels[((y * chip.Width + x) * 3) + c] = (byte)(sum / count);
                        }
                    }
                }
            }
        }

        return new RgbImage(chip.Width, chip.Height, pixels);
    }

    private static QualityEvidence Evidence(AnalyzedFace face, float[] embedding) =>
        new(face.Chip, Math.Min(1, face.Quality.InterOcularDistance / FaceQualityEstimator.ChipInterOcularDistance), face.Quality.Score, embedding);

    private static ServiceProvider Services(string? estimator)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.Configure<OnnxRuntimeOptions>(o =>
        {
            o.ModelsPath = Path.Combine(TestPaths.RepoRoot, "models");
            o.Accelerator = Accelerator.Cpu;
        });
        if (estimator is not null)
        {
            services.Configure<FaceQualityOptions>(o => o.Estimator = estimator);
        }

        services.AddFaceAnalysis();
        return services.BuildServiceProvider();
    }
}
