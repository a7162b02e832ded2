using FaceGallery.Inference.Imaging;

namespace FaceGallery.Inference.Faces.Alignment;

/// <summary>
/// dlib's <c>pyramid_down&lt;2&gt;</c> for RGB images: a separable 5-tap [1 4 6 4 1] Gaussian, then
/// every other row and column, in integer arithmetic (sum of 256 weights, truncating division), so
/// chips cut from downsampled levels match dlib's exactly.
/// </summary>
internal static class ImagePyramid
{
    /// <summary>A rectangle of the input image in the downsampled level's coordinates (dlib's <c>rect_down</c>).</summary>
    public static ChipRect RectDown(ChipRect rect) =>
        new(rect.Left / 2.0 - 1.25, rect.Top / 2.0 - 0.75, rect.Right / 2.0 - 1.25, rect.Bottom / 2.0 - 0.75);

    /// <summary>The next level; null when the input is too small (dlib returns an empty image then).</summary>
    public static RgbImage? Down(RgbImage original)
    {
        if (original.Height <= 8 || original.Width <= 8)
        {
            return null;
        }

        var tempCols = (original.Width - 3) / 2;
        var rows = original.Height;
        var temp = new int[rows * tempCols * 3];
        var src = original.Pixels;
        for (var r = 0; r < rows; r++)
        {
            var rowStart = r * original.Stride;
            for (var c = 0; c < tempCols; c++)
            {
                var o = rowStart + 2 * c * 3;
                var t = (r * tempCols + c) * 3;
                for (var ch = 0; ch < 3; ch++)
                {
                    temp[t + ch] = src[o + ch] + 4 * src[o + 3 + ch] + 6 * src[o + 6 + ch] + 4 * src[o + 9 + ch] + src[o + 12 + ch];
                }
            }
        }

        var down = new RgbImage(tempCols, (original.Height - 3) / 2);
        var dst = down.Pixels;
        var dr = 0;
        for (var r = 2; r < rows - 2; r += 2)
        {
            for (var c = 0; c < tempCols; c++)
            {
                for (var ch = 0; ch < 3; ch++)
                {
                    var sum = temp[((r - 2) * tempCols + c) * 3 + ch]
                        + 4 * temp[((r - 1) * tempCols + c) * 3 + ch]
                        + 6 * temp[(r * tempCols + c) * 3 + ch]
                        + 4 * temp[((r + 1) * tempCols + c) * 3 + ch]
                        + temp[((r + 2) * tempCols + c) * 3 + ch];
                    dst[(dr * tempCols + c) * 3 + ch] = (byte)(sum / 256);
                }
            }

            dr++;
        }

        return down;
    }
}
