using FaceGallery.Inference.Faces.Geometry;
using FaceGallery.Inference.Imaging;

namespace FaceGallery.Inference.Faces.Landmarks;

/// <summary>
/// Runs a dlib shape predictor the way dlib 19.24 does, so landmarks agree with dlib's to the
/// pixel: at each cascade level the feature pixels (anchored to the current shape through the
/// similarity transform from the initial shape) are sampled as integer-rounded image positions,
/// their grey levels compared pairwise down every tree, and the leaf offsets added to the shape.
/// Arithmetic follows dlib's precision (float shape and offsets, double image mapping). Thread-safe.
/// </summary>
public sealed class ShapePredictor(ShapePredictorModel model)
{
    public ShapePredictorModel Model => model;

    public FaceLandmarks Predict(RgbImage image, PixelRect box)
    {
        ArgumentNullException.ThrowIfNull(image);
        var initial = model.InitialShape;
        var parts = model.PartCount;
        var current = (float[])initial.Clone();
        var initialPoints = ToPoints(initial);
        var currentPoints = new PointD[parts];

        // dlib maps the unit square onto the box corners: (0,0) → top-left, (1,1) → bottom-right.
        var boxWidth = (double)(box.Right - box.Left);
        var boxHeight = (double)(box.Bottom - box.Top);
        var features = new float[model.Levels.Max(l => l.FeatureCount)];

        foreach (var level in model.Levels)
        {
            for (var i = 0; i < parts; i++)
            {
                currentPoints[i] = new PointD(current[2 * i], current[2 * i + 1]);
            }

            var t = AffineTransform.FindSimilarity(initialPoints, currentPoints);
            var m00 = (float)t.M00;
            var m01 = (float)t.M01;
            var m10 = (float)t.M10;
            var m11 = (float)t.M11;
            var anchors = level.Anchors;
            var deltas = level.Deltas;
            for (var i = 0; i < anchors.Length; i++)
            {
                var dx = deltas[2 * i];
                var dy = deltas[2 * i + 1];
                var a = anchors[i];
                var x = m00 * dx + m01 * dy + current[2 * a];
                var y = m10 * dx + m11 * dy + current[2 * a + 1];
                var px = (long)Math.Floor(boxWidth * x + box.Left + 0.5);
                var py = (long)Math.Floor(boxHeight * y + box.Top + 0.5);
                features[i] = image.Contains(px, py) ? image.Intensity((int)px, (int)py) : 0f;
            }

            foreach (var tree in level.Trees)
            {
                AddLeaf(tree, features, current);
            }
        }

        var points = new PointD[parts];
        for (var i = 0; i < parts; i++)
        {
            points[i] = new PointD(boxWidth * current[2 * i] + box.Left, boxHeight * current[2 * i + 1] + box.Top);
        }

        return new FaceLandmarks(points);
    }

    private static void AddLeaf(RegressionTree tree, float[] features, float[] shape)
    {
        var splits = tree.Thresholds.Length;
        var node = 0;
        while (node < splits)
        {
            node = features[tree.FeatureA[node]] - features[tree.FeatureB[node]] > tree.Thresholds[node]
                ? 2 * node + 1
                : 2 * node + 2;
        }

        var leaf = tree.Leaves.AsSpan((node - splits) * shape.Length, shape.Length);
        for (var k = 0; k < shape.Length; k++)
        {
            shape[k] += leaf[k];
        }
    }

    private static PointD[] ToPoints(float[] shape)
    {
        var points = new PointD[shape.Length / 2];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = new PointD(shape[2 * i], shape[2 * i + 1]);
        }

        return points;
    }
}
