using FaceGallery.Inference.Imaging;
using SkiaSharp;

namespace FaceGallery.Cli.Evaluation;

/// <summary>The ways a capture goes wrong that the evaluation and the quality training simulate.</summary>
public enum DegradationKind
{
    None,
    Blur,
    DownScale,
    Noise,
    Jpeg,
    Occlusion,
    Lighting,
}

/// <summary>One degradation with its strength in (0, 1]; <see cref="Scale"/> is the resolution it leaves (down-scaling only).</summary>
public sealed record Degradation(DegradationKind Kind, double Strength)
{
    public static readonly Degradation Clean = new(DegradationKind.None, 0);

    public double Scale => Kind == DegradationKind.DownScale ? Math.Max(0.08, 1 - 0.92 * Strength) : 1;

    public override string ToString() => $"{Kind}:{Strength:0.00}";
}

/// <summary>
/// Pure functions that degrade a 150×150 RGB chip: Gaussian blur, down-scaling (area down, bilinear back
/// up), Gaussian noise, JPEG re-encoding (SkiaSharp), occluding bands or blocks, and under/over exposure
/// or contrast loss. Randomness comes only from the caller's <see cref="Random"/>, so runs repeat.
/// </summary>
public static class ChipDegrader
{
    public static RgbImage Apply(RgbImage chip, Degradation degradation, Random random)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(degradation);
        ArgumentNullException.ThrowIfNull(random);
        var s = Math.Clamp(degradation.Strength, 0, 1);
        return degradation.Kind switch
        {
            DegradationKind.None => new RgbImage(chip.Width, chip.Height, (byte[])chip.Pixels.Clone()),
            DegradationKind.Blur => Blur(chip, 0.5 + 4.5 * s),
            DegradationKind.DownScale => Resample(chip, degradation.Scale),
            DegradationKind.Noise => Noise(chip, 6 + 50 * s, random),
            DegradationKind.Jpeg => Jpeg(chip, (int)Math.Round(40 - 37 * s)),
            DegradationKind.Occlusion => Occlude(chip, s, random),
            DegradationKind.Lighting => Light(chip, s, random),
            _ => throw new ArgumentOutOfRangeException(nameof(degradation), degradation.Kind, "unknown degradation"),
        };
    }

    /// <summary>Per-pixel blend (1 − <paramref name="weight"/>)·a + weight·b of two aligned chips: a face drifting towards another.</summary>
    public static RgbImage Blend(RgbImage a, RgbImage b, double weight)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var result = new byte[a.Pixels.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ToByte(((1 - weight) * a.Pixels[i]) + (weight * b.Pixels[i]));
        }

        return new RgbImage(a.Width, a.Height, result);
    }

    private static RgbImage Blur(RgbImage chip, double sigma)
    {
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new double[(2 * radius) + 1];
        double total = 0;
        for (var i = -radius; i <= radius; i++)
        {
            kernel[i + radius] = Math.Exp(-(i * i) / (2 * sigma * sigma));
            total += kernel[i + radius];
        }

        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= total;
        }

        var w = chip.Width;
        var h = chip.Height;
        var temp = new double[chip.Pixels.Length];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    double acc = 0;
                    for (var k = -radius; k <= radius; k++)
                    {
                        var xx = Math.Clamp(x + k, 0, w - 1);
                        acc += kernel[k + radius] * chip.Pixels[(((y * w) + xx) * 3) + c];
                    }

                    temp[(((y * w) + x) * 3) + c] = acc;
                }
            }
        }

        var result = new byte[chip.Pixels.Length];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    double acc = 0;
                    for (var k = -radius; k <= radius; k++)
                    {
                        var yy = Math.Clamp(y + k, 0, h - 1);
                        acc += kernel[k + radius] * temp[(((yy * w) + x) * 3) + c];
                    }

                    result[(((y * w) + x) * 3) + c] = ToByte(acc);
                }
            }
        }

        return new RgbImage(w, h, result);
    }

    private static RgbImage Resample(RgbImage chip, double scale)
    {
        var small = Math.Max(4, (int)Math.Round(chip.Width * scale));
        using var source = SkiaImages.ToSkBitmap(chip);
        using var down = source.Resize(new SKImageInfo(small, small, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var up = down.Resize(new SKImageInfo(chip.Width, chip.Height, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
        return SkiaImages.FromSkBitmap(up);
    }

    private static RgbImage Noise(RgbImage chip, double sigma, Random random)
    {
        var result = new byte[chip.Pixels.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ToByte(chip.Pixels[i] + (sigma * random.NextGaussian()));
        }

        return new RgbImage(chip.Width, chip.Height, result);
    }

    private static RgbImage Jpeg(RgbImage chip, int quality)
    {
        using var bitmap = SkiaImages.ToSkBitmap(chip);
        using var image = SKImage.FromBitmap(bitmap);
        using var encoded = image.Encode(SKEncodedImageFormat.Jpeg, Math.Clamp(quality, 1, 100));
        return new ImageDecoder().Decode(encoded.AsSpan());
    }

    private static RgbImage Occlude(RgbImage chip, double strength, Random random)
    {
        var result = (byte[])chip.Pixels.Clone();
        var w = chip.Width;
        // Bands where real occluders sit (sunglasses, masks, a hand) or a block anywhere, sized by strength.
        var height = (int)(w * (0.12 + (0.3 * strength)));
        var (x0, y0, x1, y1) = random.Next(3) switch
        {
            0 => (0, (int)(w * 0.3), w, (int)(w * 0.3) + height),
            1 => (0, w - height - (int)(w * 0.1), w, w - (int)(w * 0.1)),
            _ => Block(w, height, random),
        };
        var shade = (byte)random.Next(0, 80);
        for (var y = Math.Max(0, y0); y < Math.Min(w, y1); y++)
        {
            for (var x = Math.Max(0, x0); x < Math.Min(w, x1); x++)
            {
                result[((y * w) + x) * 3] = shade;
                result[(((y * w) + x) * 3) + 1] = shade;
                result[(((y * w) + x) * 3) + 2] = shade;
            }
        }

        return new RgbImage(w, chip.Height, result);
    }

    private static (int, int, int, int) Block(int size, int side, Random random)
    {
        var x = random.Next(size / 6, size - (size / 6) - side / 2);
        var y = random.Next(size / 6, size - (size / 6) - side / 2);
        return (x, y, x + side, y + side);
    }

    private static RgbImage Light(RgbImage chip, double strength, Random random)
    {
        var result = new byte[chip.Pixels.Length];
        var mode = random.Next(3);
        for (var i = 0; i < result.Length; i++)
        {
            var v = chip.Pixels[i] / 255.0;
            v = mode switch
            {
                0 => v * (1 - (0.85 * strength)),                        // under-exposed
                1 => Math.Pow(v, 1 - (0.8 * strength)) + (0.3 * strength), // over-exposed
                _ => 0.5 + ((v - 0.5) * (1 - (0.85 * strength))),         // flat contrast
            };
            result[i] = ToByte(v * 255);
        }

        return new RgbImage(chip.Width, chip.Height, result);
    }

    private static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);
}

/// <summary>Gaussian draws for the degradations.</summary>
public static class RandomExtensions
{
    public static double NextGaussian(this Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
