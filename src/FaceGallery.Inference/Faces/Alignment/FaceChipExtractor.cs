using FaceGallery.Inference.Faces.Geometry;
using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Imaging;

namespace FaceGallery.Inference.Faces.Alignment;

/// <summary>
/// Cuts aligned face chips the way dlib's <c>get_face_chip_details</c> + <c>extract_image_chip</c>
/// do, because the embedder was trained on exactly those chips: a similarity transform puts the five
/// landmarks onto dlib's mean face, large reductions go through dlib's 2× Gaussian pyramid first
/// (so bilinear sampling never skips pixels), and pixels are bilinearly interpolated and truncated.
/// </summary>
public static class FaceChipExtractor
{
    public const int DefaultSize = 150;
    public const double DefaultPadding = 0.25;

    // dlib's mean face for the 5-point model, in the unit square of an unpadded chip (same order as the landmarks).
    private static readonly PointD[] MeanFace =
    [
        new(0.8595674595992, 0.2134981538014),
        new(0.6460604764104, 0.2289674387677),
        new(0.1205750620789, 0.2137274526848),
        new(0.3340850613712, 0.2290642403242),
        new(0.4901123135679, 0.6277975316475),
    ];

    /// <summary>
    /// Where to cut the chip for these landmarks. Like dlib, the landmarks are first rounded to whole
    /// pixels (dlib's <c>full_object_detection</c> stores integer points).
    /// </summary>
    public static ChipDetails GetFaceChipDetails(FaceLandmarks landmarks, int size = DefaultSize, double padding = DefaultPadding)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        if (landmarks.Points.Count != FaceLandmarks.Count)
        {
            throw new ArgumentException("the chip template is defined for dlib's five landmarks", nameof(landmarks));
        }

        var chipPoints = new PointD[FaceLandmarks.Count];
        var imagePoints = new PointD[FaceLandmarks.Count];
        for (var i = 0; i < chipPoints.Length; i++)
        {
            var p = MeanFace[i];
            chipPoints[i] = new PointD((padding + p.X) / (2 * padding + 1) * size, (padding + p.Y) / (2 * padding + 1) * size);
            imagePoints[i] = landmarks.Points[i].RoundedToPixel();
        }

        var tform = AffineTransform.FindSimilarity(chipPoints, imagePoints);
        // A similarity transform is scale, rotation and translation: read scale and angle off M·(1,0).
        var angle = Math.Atan2(tform.M10, tform.M00);
        var scale = Math.Sqrt(tform.M00 * tform.M00 + tform.M10 * tform.M10);
        var center = tform.Apply(new PointD(size / 2.0, size / 2.0));
        return new ChipDetails(ChipRect.Centered(center, size * scale, size * scale), angle, size, size);
    }

    public static RgbImage Extract(RgbImage image, ChipDetails chip)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(chip);
        var output = new RgbImage(chip.Cols, chip.Rows);
        if (chip.Rect.IsEmpty)
        {
            return output;
        }

        if (chip.Angle == 0 && chip.Rows == chip.Rect.Height && chip.Cols == chip.Rect.Width)
        {
            CopyUnscaled(image, chip.Rect.ToPixelRect(), output);
            return output;
        }

        // How many 2× reductions keep the source area above the chip's (dlib's depth), and the
        // border the 5-tap filter needs at that depth.
        var depth = 0;
        var grow = 2.0;
        var down = ImagePyramid.RectDown(chip.Rect);
        while (down.Area > chip.Size)
        {
            down = ImagePyramid.RectDown(down);
            depth++;
            grow = grow * 2 + 2;
        }

        var rotated = ChipRect.Bounding([
            Rotate(chip.Rect.Center, chip.Rect.TopLeft, chip.Angle),
            Rotate(chip.Rect.Center, chip.Rect.TopRight, chip.Angle),
            Rotate(chip.Rect.Center, chip.Rect.BottomLeft, chip.Angle),
            Rotate(chip.Rect.Center, chip.Rect.BottomRight, chip.Angle),
        ]);
        var bounds = rotated.Grow(grow).Intersect(new ChipRect(0, 0, image.Width - 1, image.Height - 1)).ToPixelRect();
        if (bounds.IsEmpty)
        {
            return output;
        }

        var source = Crop(image, bounds);
        var level = -1;
        var rect = chip.Rect.Translate(-bounds.Left, -bounds.Top);
        while (ImagePyramid.RectDown(rect).Area > chip.Size)
        {
            level++;
            rect = ImagePyramid.RectDown(rect);
        }

        for (var i = 0; i <= level && source is not null; i++)
        {
            source = ImagePyramid.Down(source);
        }

        if (source is null)
        {
            return output;
        }

        var center = rect.Center;
        var map = AffineTransform.FromTriangle(
            new PointD(0, 0), new PointD(chip.Cols - 1, 0), new PointD(0, chip.Rows - 1),
            Rotate(center, rect.TopLeft, chip.Angle), Rotate(center, rect.TopRight, chip.Angle), Rotate(center, rect.BottomLeft, chip.Angle));
        Resample(source, map, output);
        return output;
    }

    /// <summary>Landmarks → the default 150×150 dlib chip.</summary>
    public static RgbImage ExtractFaceChip(RgbImage image, FaceLandmarks landmarks, int size = DefaultSize, double padding = DefaultPadding) =>
        Extract(image, GetFaceChipDetails(landmarks, size, padding));

    private static PointD Rotate(PointD center, PointD p, double angle)
    {
        var sin = Math.Sin(angle);
        var cos = Math.Cos(angle);
        var dx = p.X - center.X;
        var dy = p.Y - center.Y;
        return new PointD(cos * dx - sin * dy + center.X, sin * dx + cos * dy + center.Y);
    }

    // dlib's interpolate_bilinear into a black background; channels truncated to bytes.
    private static void Resample(RgbImage source, AffineTransform map, RgbImage output)
    {
        var src = source.Pixels;
        var dst = output.Pixels;
        var stride = source.Stride;
        var o = 0;
        for (var r = 0; r < output.Height; r++)
        {
            for (var c = 0; c < output.Width; c++, o += 3)
            {
                var p = map.Apply(new PointD(c, r));
                var left = (long)Math.Floor(p.X);
                var top = (long)Math.Floor(p.Y);
                if (left < 0 || top < 0 || left + 1 >= source.Width || top + 1 >= source.Height)
                {
                    continue;
                }

                var lr = p.X - left;
                var tb = p.Y - top;
                var tl = (int)top * stride + (int)left * 3;
                var bl = tl + stride;
                for (var ch = 0; ch < 3; ch++)
                {
                    var value = (1 - tb) * ((1 - lr) * src[tl + ch] + lr * src[tl + 3 + ch])
                        + tb * ((1 - lr) * src[bl + ch] + lr * src[bl + 3 + ch]);
                    dst[o + ch] = (byte)value;
                }
            }
        }
    }

    private static RgbImage Crop(RgbImage image, PixelRect rect)
    {
        var crop = new RgbImage((int)rect.Width, (int)rect.Height);
        for (var y = 0; y < crop.Height; y++)
        {
            image.Pixels.AsSpan((int)((rect.Top + y) * image.Stride + rect.Left * 3), crop.Stride).CopyTo(crop.Row(y));
        }

        return crop;
    }

    private static void CopyUnscaled(RgbImage image, PixelRect rect, RgbImage output)
    {
        for (var y = 0; y < output.Height; y++)
        {
            for (var x = 0; x < output.Width; x++)
            {
                var sx = rect.Left + x;
                var sy = rect.Top + y;
                if (image.Contains(sx, sy))
                {
                    image.Pixels.AsSpan((int)((sy * image.Width + sx) * 3), 3).CopyTo(output.Pixels.AsSpan((y * output.Width + x) * 3, 3));
                }
            }
        }
    }
}
