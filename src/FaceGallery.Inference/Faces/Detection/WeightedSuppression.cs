using FaceGallery.Inference.Faces.Geometry;

namespace FaceGallery.Inference.Faces.Detection;

/// <summary>
/// MediaPipe's weighted non-maximum suppression: take the best remaining detection, gather every
/// remaining one that overlaps it by more than the IoU threshold, and replace the group by the
/// score-weighted mean of their boxes and keypoints, keeping the best score. Blending rather than
/// discarding steadies boxes of a detector whose neighbouring anchors all fire on one face.
/// </summary>
internal static class WeightedSuppression
{
    public static List<FaceDetection> Apply(IEnumerable<FaceDetection> candidates, double iouThreshold)
    {
        var remaining = candidates.OrderByDescending(d => d.Score).ToList();
        var kept = new List<FaceDetection>();
        while (remaining.Count > 0)
        {
            var best = remaining[0];
            var group = remaining.Where(d => best.Box.IntersectionOverUnion(d.Box) > iouThreshold || ReferenceEquals(d, best)).ToList();
            remaining.RemoveAll(group.Contains);
            kept.Add(Blend(best, group));
        }

        return kept;
    }

    private static FaceDetection Blend(FaceDetection best, List<FaceDetection> group)
    {
        if (group.Count == 1)
        {
            return best;
        }

        double total = 0, x = 0, y = 0, w = 0, h = 0;
        var keypoints = new PointD[best.Keypoints.Count];
        foreach (var d in group)
        {
            total += d.Score;
            x += d.Score * d.Box.X;
            y += d.Score * d.Box.Y;
            w += d.Score * d.Box.Width;
            h += d.Score * d.Box.Height;
            for (var k = 0; k < keypoints.Length; k++)
            {
                keypoints[k] += d.Keypoints[k] * d.Score;
            }
        }

        for (var k = 0; k < keypoints.Length; k++)
        {
            keypoints[k] *= 1 / total;
        }

        return new FaceDetection(new FaceBox(x / total, y / total, w / total, h / total), best.Score, keypoints);
    }
}
