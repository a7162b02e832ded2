using FaceGallery.Inference.Faces.Alignment;
using FaceGallery.Inference.Faces.Geometry;
using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Imaging;

namespace FaceGallery.Inference.Faces.Quality;

/// <summary>
/// Quality v1: a weighted geometric mean of four cues, each in [0, 1] — detector confidence, face
/// resolution (inter-ocular distance against the chip's own), sharpness of the aligned chip (variance
/// of its Laplacian) and frontal pose (symmetry of the five landmarks). A geometric mean lets any one
/// cue veto: a sharp frontal face of 5 pixels is not recognizable. docs/quality.md explains the
/// constants; a learned estimator is meant to replace this.
/// </summary>
public static class FaceQualityEstimator
{
    /// <summary>Eye distance in a 150-px, 0.25-padded dlib chip: beyond this, extra pixels are thrown away by the chip.</summary>
    public const double ChipInterOcularDistance = 52.55;

    /// <summary>
    /// Laplacian variance at which sharpness scores 0.5; close to the median (35) over the 68 dlib
    /// reference chips of tests/data/dlib-faces, where sharp high-resolution faces reach 200–1400.
    /// </summary>
    public const double HalfSharpnessVariance = 25;

    /// <summary>Perpendicular nose-to-eye-line distance over eye distance in dlib's mean face (frontal).</summary>
    public const double FrontalNoseDrop = 0.7735;

    private const double ConfidenceWeight = 0.15;
    private const double ResolutionWeight = 0.35;
    private const double SharpnessWeight = 0.25;
    private const double PoseWeight = 0.25;

    // Only the face itself counts for sharpness: a 0.25-padded chip has the face in its middle two thirds.
    private const double SharpnessMargin = 1.0 / 6;

    public static FaceQuality Estimate(float detectionScore, FaceLandmarks landmarks, RgbImage chip)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        ArgumentNullException.ThrowIfNull(chip);
        var confidence = Math.Clamp(detectionScore, 0f, 1f);
        var iod = landmarks.InterOcularDistance;
        var resolution = Math.Sqrt(Math.Clamp(iod / ChipInterOcularDistance, 0, 1));
        var variance = LaplacianVariance(chip);
        var sharpness = variance / (variance + HalfSharpnessVariance);
        var (yaw, pitch) = PoseAsymmetry(landmarks);
        var pose = (1 - yaw) * (1 - pitch);
        var score = Math.Pow(confidence, ConfidenceWeight)
            * Math.Pow(resolution, ResolutionWeight)
            * Math.Pow(sharpness, SharpnessWeight)
            * Math.Pow(pose, PoseWeight);
        return new FaceQuality((float)score, confidence, (float)resolution, (float)sharpness, (float)pose, iod, variance, yaw, pitch);
    }

    /// <summary>The sharpness cue alone, V / (V + 25): quality v1 of a chip given without detection or landmarks.</summary>
    public static double Sharpness(RgbImage chip)
    {
        var variance = LaplacianVariance(chip);
        return variance / (variance + HalfSharpnessVariance);
    }

    /// <summary>Variance of the 4-neighbour Laplacian of the chip's grey levels, over the face region.</summary>
    public static double LaplacianVariance(RgbImage chip)
    {
        ArgumentNullException.ThrowIfNull(chip);
        var x0 = Math.Max(1, (int)(chip.Width * SharpnessMargin));
        var y0 = Math.Max(1, (int)(chip.Height * SharpnessMargin));
        var x1 = Math.Min(chip.Width - 1, chip.Width - x0);
        var y1 = Math.Min(chip.Height - 1, chip.Height - y0);
        double sum = 0, sumSquares = 0;
        long count = 0;
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                var laplacian = Grey(chip, x - 1, y) + Grey(chip, x + 1, y) + Grey(chip, x, y - 1) + Grey(chip, x, y + 1) - 4 * Grey(chip, x, y);
                sum += laplacian;
                sumSquares += laplacian * laplacian;
                count++;
            }
        }

        if (count == 0)
        {
            return 0;
        }

        var mean = sum / count;
        return Math.Max(0, sumSquares / count - mean * mean);
    }

    /// <summary>
    /// Yaw: how far the nose sits from the midpoint between the eyes, along the eye line, as a fraction of
    /// half the eye distance (0 frontal, 1 nose at or beyond an eye). Pitch: relative deviation of the
    /// nose's drop below the eye line from the mean face's. Roll needs no cue: alignment removes it.
    /// </summary>
    public static (double Yaw, double Pitch) PoseAsymmetry(FaceLandmarks landmarks)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        var left = landmarks.ImageLeftEye;
        var right = landmarks.ImageRightEye;
        var iod = PointD.Distance(left, right);
        if (iod <= 0)
        {
            return (1, 1);
        }

        var axis = (right - left) * (1 / iod);
        var nose = landmarks.Nose - left;
        var along = (nose.X * axis.X + nose.Y * axis.Y) / iod;
        var across = Math.Abs(nose.X * axis.Y - nose.Y * axis.X) / iod;
        var yaw = Math.Clamp(Math.Abs(2 * along - 1), 0, 1);
        var pitch = Math.Clamp(Math.Abs(across / FrontalNoseDrop - 1), 0, 1);
        return (yaw, pitch);
    }

    private static double Grey(RgbImage image, int x, int y)
    {
        var i = (y * image.Width + x) * 3;
        return (image.Pixels[i] + image.Pixels[i + 1] + image.Pixels[i + 2]) / 3.0;
    }
}
