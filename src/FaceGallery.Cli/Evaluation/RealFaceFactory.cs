using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Imaging;

namespace FaceGallery.Cli.Evaluation;

/// <summary>A degraded chip's embedding, its cues, quality v1 and the quality the benchmark reports.</summary>
public sealed record RealFace(float[] Embedding, float[] Cues, float V1, float Quality);

/// <summary>Degrades chips, embeds them in batches and scores their quality.</summary>
public sealed class RealFaceFactory(IFaceEmbedder embedder, LearnedFaceQuality? learned)
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

    public async Task<IReadOnlyList<RealFace>> MakeAsync(RgbImage chip, IReadOnlyList<Degradation[]> variants, Random random, CancellationToken cancellationToken)
    {
        var images = new List<RgbImage>(variants.Count);
        var scales = new List<double>(variants.Count);
        foreach (var variant in variants)
        {
            var image = chip;
            var scale = 1.0;
            foreach (var degradation in variant)
            {
                image = ChipDegrader.Apply(image, degradation, random);
                scale = Math.Min(scale, degradation.Scale);
            }

            images.Add(image);
            scales.Add(scale);
        }

        return await EmbedAsync(images, scales, cancellationToken);
    }

    public async Task<IReadOnlyList<RealFace>> EmbedAsync(IReadOnlyList<RgbImage> images, IReadOnlyList<double> scales, CancellationToken cancellationToken)
    {
        var embeddings = await embedder.EmbedAsync(images.Select(i => new AlignedFaceChip(i.Pixels)).ToArray(), cancellationToken);
        var faces = new RealFace[images.Count];
        for (var i = 0; i < images.Count; i++)
        {
            var cues = ChipCues.Compute(images[i], scales[i]);
            var v1 = V1(images[i], scales[i]);
            var quality = learned?.Score(embeddings[i], cues) ?? v1;
            faces[i] = new RealFace(embeddings[i], cues, v1, quality);
        }

        return faces;
    }
}
