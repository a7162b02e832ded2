using FaceGallery.Inference.Imaging;

namespace FaceGallery.Inference.Faces.Quality;

/// <summary>
/// Image cues of an aligned chip that the learned quality model reads beside the embedding, each scaled to
/// roughly [0, 1]: sharpness (log of the face region's Laplacian variance), brightness, contrast, and
/// resolution (inter-ocular distance in the source image over the chip's own, capped at 1). Training
/// (`eval build-real`) and inference compute them with this one function so they cannot drift apart.
/// </summary>
public static class ChipCues
{
    public const int Count = 4;

    public static float[] Compute(RgbImage chip, double resolution)
    {
        ArgumentNullException.ThrowIfNull(chip);
        var variance = FaceQualityEstimator.LaplacianVariance(chip);
        double sum = 0, sumSquares = 0;
        var pixels = chip.Pixels;
        var count = pixels.Length / 3;
        for (var i = 0; i < pixels.Length; i += 3)
        {
            var grey = (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3.0;
            sum += grey;
            sumSquares += grey * grey;
        }

        var mean = sum / count;
        var std = Math.Sqrt(Math.Max(0, sumSquares / count - mean * mean));
        return
        [
            (float)(Math.Log(1 + variance) / 8),
            (float)(mean / 255),
            (float)(std / 128),
            (float)Math.Clamp(resolution, 0, 1),
        ];
    }
}
