using FaceGallery.Inference.Imaging;

namespace FaceGallery.Inference.Faces.Quality;

/// <summary>
/// Image cues of an aligned chip that the learned quality model reads beside the embedding, each scaled to
/// roughly [0, 1]. Training (`eval build-real`) and inference compute them with this one function so they
/// cannot drift apart. The vector only ever grows at its end: a model trained on the first K cues reads
/// the first K (quality-dlib128-v1 reads 4, v2 all <see cref="Count"/>).
/// </summary>
public static class ChipCues
{
    /// <summary>The cues quality-dlib128-v1 was trained on.</summary>
    public const int V1Count = 4;

    public const int Count = 11;

    // A 0.25-padded dlib chip has the face in its middle two thirds; background says nothing about the face.
    private const double FaceMargin = 1.0 / 6;

    // Synthetic and real occluders (masks, sunglasses, hands, dark bands) are nearly textureless.
    private const double FlatBlockStd = 2.0;
    private const int FlatBlock = 5;

    /// <summary>
    /// 0 log(1 + Laplacian variance)/8 of the face region (fine detail; raised by noise and JPEG blocking),
    /// 1 mean grey/255, 2 grey standard deviation/128, 3 resolution (inter-ocular distance in the source over
    /// the chip's own, capped at 1), 4 the Laplacian cue of the face at half resolution (coarse detail,
    /// which survives noise but not blur), 5 log(1 + noise σ)/4 by Immerkær's estimator, 6 share of flat
    /// 5×5 blocks in the face (occluders), 7 share of clipped face pixels (under/over exposure), 8 mean
    /// chroma/255, 9 left-right asymmetry of the face's grey levels/64, 10 mean gradient magnitude/64.
    /// </summary>
    public static float[] Compute(RgbImage chip, double resolution)
    {
        ArgumentNullException.ThrowIfNull(chip);
        var grey = Grey(chip);
        var w = chip.Width;
        var h = chip.Height;
        var x0 = Math.Max(1, (int)(w * FaceMargin));
        var y0 = Math.Max(1, (int)(h * FaceMargin));
        var x1 = Math.Min(w - 1, w - x0);
        var y1 = Math.Min(h - 1, h - y0);

        var variance = FaceQualityEstimator.LaplacianVariance(chip);
        var (mean, std) = MeanStd(grey);
        var half = HalfLaplacianVariance(grey, w, x0, y0, x1, y1);
        return
        [
            (float)(Math.Log(1 + variance) / 8),
            (float)(mean / 255),
            (float)(std / 128),
            (float)Math.Clamp(resolution, 0, 1),
            (float)(Math.Log(1 + half) / 8),
            (float)(Math.Log(1 + NoiseSigma(grey, w, h)) / 4),
            (float)FlatShare(grey, w, x0, y0, x1, y1),
            (float)ClippedShare(grey, w, x0, y0, x1, y1),
            (float)(MeanChroma(chip, x0, y0, x1, y1) / 255),
            (float)(Asymmetry(grey, w, x0, y0, x1, y1) / 64),
            (float)(MeanGradient(grey, w, x0, y0, x1, y1) / 64),
        ];
    }

    private static double[] Grey(RgbImage chip)
    {
        var pixels = chip.Pixels;
        var grey = new double[chip.Width * chip.Height];
        for (int i = 0, j = 0; j < grey.Length; i += 3, j++)
        {
            grey[j] = (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3.0;
        }

        return grey;
    }

    private static (double Mean, double Std) MeanStd(double[] grey)
    {
        double sum = 0, sumSquares = 0;
        foreach (var g in grey)
        {
            sum += g;
            sumSquares += g * g;
        }

        var mean = sum / grey.Length;
        return (mean, Math.Sqrt(Math.Max(0, sumSquares / grey.Length - mean * mean)));
    }

    private static double HalfLaplacianVariance(double[] grey, int w, int x0, int y0, int x1, int y1)
    {
        var hw = (x1 - x0) / 2;
        var hh = (y1 - y0) / 2;
        if (hw < 3 || hh < 3)
        {
            return 0;
        }

        var small = new double[hw * hh];
        for (var y = 0; y < hh; y++)
        {
            for (var x = 0; x < hw; x++)
            {
                var i = ((y0 + 2 * y) * w) + x0 + 2 * x;
                small[(y * hw) + x] = (grey[i] + grey[i + 1] + grey[i + w] + grey[i + w + 1]) / 4;
            }
        }

        double sum = 0, sumSquares = 0;
        var count = 0;
        for (var y = 1; y < hh - 1; y++)
        {
            for (var x = 1; x < hw - 1; x++)
            {
                var i = (y * hw) + x;
                var l = small[i - 1] + small[i + 1] + small[i - hw] + small[i + hw] - 4 * small[i];
                sum += l;
                sumSquares += l * l;
                count++;
            }
        }

        var m = sum / count;
        return Math.Max(0, sumSquares / count - m * m);
    }

    /// <summary>Immerkær (1996): σ = √(π/2)·Σ|I∗N| / (6(W−2)(H−2)), N the difference of two Laplacians, which cancels most image structure.</summary>
    private static double NoiseSigma(double[] grey, int w, int h)
    {
        double total = 0;
        for (var y = 1; y < h - 1; y++)
        {
            for (var x = 1; x < w - 1; x++)
            {
                var i = (y * w) + x;
                var v = grey[i - w - 1] - 2 * grey[i - w] + grey[i - w + 1]
                    - 2 * grey[i - 1] + 4 * grey[i] - 2 * grey[i + 1]
                    + grey[i + w - 1] - 2 * grey[i + w] + grey[i + w + 1];
                total += Math.Abs(v);
            }
        }

        return Math.Sqrt(Math.PI / 2) * total / (6.0 * (w - 2) * (h - 2));
    }

    private static double FlatShare(double[] grey, int w, int x0, int y0, int x1, int y1)
    {
        int blocks = 0, flat = 0;
        for (var by = y0; by + FlatBlock <= y1; by += FlatBlock)
        {
            for (var bx = x0; bx + FlatBlock <= x1; bx += FlatBlock)
            {
                double sum = 0, sumSquares = 0;
                for (var y = by; y < by + FlatBlock; y++)
                {
                    for (var x = bx; x < bx + FlatBlock; x++)
                    {
                        var g = grey[(y * w) + x];
                        sum += g;
                        sumSquares += g * g;
                    }
                }

                const int n = FlatBlock * FlatBlock;
                var m = sum / n;
                blocks++;
                flat += Math.Sqrt(Math.Max(0, sumSquares / n - m * m)) < FlatBlockStd ? 1 : 0;
            }
        }

        return blocks == 0 ? 0 : (double)flat / blocks;
    }

    private static double ClippedShare(double[] grey, int w, int x0, int y0, int x1, int y1) =>
        MeanOver(x0, y0, x1, y1, (x, y) => grey[(y * w) + x] is < 16 or > 240 ? 1 : 0);

    private static double MeanChroma(RgbImage chip, int x0, int y0, int x1, int y1)
    {
        var p = chip.Pixels;
        return MeanOver(x0, y0, x1, y1, (x, y) =>
        {
            var i = ((y * chip.Width) + x) * 3;
            return Math.Max(p[i], Math.Max(p[i + 1], p[i + 2])) - Math.Min(p[i], Math.Min(p[i + 1], p[i + 2]));
        });
    }

    private static double Asymmetry(double[] grey, int w, int x0, int y0, int x1, int y1) =>
        MeanOver(x0, y0, x1, y1, (x, y) => Math.Abs(grey[(y * w) + x] - grey[(y * w) + (w - 1 - x)]));

    private static double MeanGradient(double[] grey, int w, int x0, int y0, int x1, int y1) =>
        MeanOver(x0, y0, x1, y1, (x, y) =>
        {
            var i = (y * w) + x;
            var gx = grey[i + 1] - grey[i - 1];
            var gy = grey[i + w] - grey[i - w];
            return Math.Sqrt(gx * gx + gy * gy) / 2;
        });

    /// <summary>The mean of <paramref name="at"/> over the pixels of [x0, x1) × [y0, y1), summed row by row.</summary>
    private static double MeanOver(int x0, int y0, int x1, int y1, Func<int, int, double> at)
    {
        double total = 0;
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                total += at(x, y);
            }
        }

        return total / ((x1 - x0) * (y1 - y0));
    }
}
