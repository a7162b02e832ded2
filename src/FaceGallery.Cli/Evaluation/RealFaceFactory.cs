using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Imaging;

namespace FaceGallery.Cli.Evaluation;

/// <summary>A degraded chip's embedding, its cues, quality v1 and the quality the benchmark reports.</summary>
public sealed record RealFace(float[] Embedding, float[] Cues, float V1, float Quality);

/// <summary>Degrades chips, embeds them in batches and scores their quality.</summary>
public sealed class RealFaceFactory(IFaceEmbedder embedder, IFaceQualityEstimator quality)
{
    /// <summary>
    /// Quality v1 for an aligned chip without a detection: confidence and pose are unknown (taken as 1);
    /// resolution comes from the known down-scaling and sharpness from the chip, as in <see cref="FaceQualityEstimator"/>.
    /// </summary>
    public static float V1(RgbImage chip, double resolution)
    {
        var variance = FaceQualityEstimator.LaplacianVariance(chip);
        var sharpness = variance / (variance + FaceQualityEstimator.HalfSharpnessVariance);
        return (float)(Math.Pow(Math.Sqrt(Math.Clamp(resolution, 0, 1)), 0.35) * Math.Pow(sharpness, 0.25));
    }

    public Task<IReadOnlyList<RealFace>> MakeAsync(RgbImage chip, IReadOnlyList<Degradation[]> variants, Random random, CancellationToken cancellationToken) =>
        MakeAsync(chip, variants, random, 1.0, cancellationToken);

    /// <summary>Each variant of <paramref name="chip"/>, whose face had <paramref name="resolution"/> in its source before any down-scaling.</summary>
    public async Task<IReadOnlyList<RealFace>> MakeAsync(RgbImage chip, IReadOnlyList<Degradation[]> variants, Random random, double resolution, CancellationToken cancellationToken)
    {
        var images = new List<RgbImage>(variants.Count);
        var scales = new List<double>(variants.Count);
        foreach (var variant in variants)
        {
            var image = chip;
            var scale = resolution;
            foreach (var degradation in variant)
            {
                image = ChipDegrader.Apply(image, degradation, random);
                scale = Math.Min(scale, resolution * degradation.Scale);
            }

            images.Add(image);
            scales.Add(scale);
        }

        return await EmbedAsync(images, scales, cancellationToken);
    }

    public async Task<IReadOnlyList<RealFace>> EmbedAsync(IReadOnlyList<RgbImage> images, IReadOnlyList<double> scales, CancellationToken cancellationToken)
    {
        var embeddings = await embedder.EmbedAsync(images.Select(i => new AlignedFaceChip(i.Pixels)).ToArray(), cancellationToken);
        var v1 = new float[images.Count];
        var evidence = new QualityEvidence[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            v1[i] = V1(images[i], scales[i]);
            evidence[i] = new QualityEvidence(images[i], scales[i], v1[i], embeddings[i]);
        }

        var scores = quality.Score(evidence);
        var faces = new RealFace[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            faces[i] = new RealFace(embeddings[i], ChipCues.Compute(images[i], scales[i]), v1[i], scores[i]);
        }

        return faces;
    }
}
