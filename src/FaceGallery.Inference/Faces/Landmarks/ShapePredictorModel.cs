namespace FaceGallery.Inference.Faces.Landmarks;

/// <summary>
/// A dlib <c>shape_predictor</c> (Kazemi and Sullivan's cascade of regression trees) as stored in
/// dlib's serialization format, version 1: initial shape, forests (one per cascade level), and per
/// level the feature pixels as an anchor landmark index plus an offset in normalised face space.
/// Shapes are interleaved x, y in the unit square spanned by the face box.
/// </summary>
public sealed class ShapePredictorModel
{
    private ShapePredictorModel(float[] initialShape, CascadeLevel[] levels)
    {
        InitialShape = initialShape;
        Levels = levels;
    }

    public float[] InitialShape { get; }

    internal CascadeLevel[] Levels { get; }

    public int PartCount => InitialShape.Length / 2;

    public int LevelCount => Levels.Length;

    public static ShapePredictorModel Load(string path) => Load(File.ReadAllBytes(path));

    public static ShapePredictorModel Load(byte[] serialized)
    {
        var reader = new DlibReader(serialized);
        var version = reader.ReadInt64();
        if (version != 1)
        {
            throw new InvalidDataException($"unexpected dlib shape_predictor version {version}");
        }

        var initialShape = reader.ReadFloatColumn();
        if (initialShape.Length == 0 || initialShape.Length % 2 != 0)
        {
            throw new InvalidDataException("the initial shape must hold x, y pairs");
        }

        var forestCount = reader.ReadCount();
        var forests = new RegressionTree[forestCount][];
        for (var f = 0; f < forestCount; f++)
        {
            forests[f] = new RegressionTree[reader.ReadCount()];
            for (var t = 0; t < forests[f].Length; t++)
            {
                forests[f][t] = ReadTree(reader, initialShape.Length);
            }
        }

        var anchorLevels = reader.ReadCount();
        var anchors = new int[anchorLevels][];
        for (var l = 0; l < anchorLevels; l++)
        {
            anchors[l] = new int[reader.ReadCount()];
            for (var i = 0; i < anchors[l].Length; i++)
            {
                anchors[l][i] = reader.ReadInt32();
            }
        }

        var deltaLevels = reader.ReadCount();
        var deltas = new float[deltaLevels][];
        for (var l = 0; l < deltaLevels; l++)
        {
            var count = reader.ReadCount();
            deltas[l] = new float[count * 2];
            for (var i = 0; i < count; i++)
            {
                deltas[l][2 * i] = reader.ReadSingle();
                deltas[l][2 * i + 1] = reader.ReadSingle();
            }
        }

        if (anchorLevels != forestCount || deltaLevels != forestCount)
        {
            throw new InvalidDataException("forests, anchors and deltas disagree on the number of cascade levels");
        }

        var levels = new CascadeLevel[forestCount];
        for (var l = 0; l < forestCount; l++)
        {
            levels[l] = new CascadeLevel(forests[l], anchors[l], deltas[l]);
            levels[l].Validate(initialShape.Length / 2);
        }

        return new ShapePredictorModel(initialShape, levels);
    }

    private static RegressionTree ReadTree(DlibReader reader, int shapeLength)
    {
        var splitCount = reader.ReadCount();
        var idx1 = new int[splitCount];
        var idx2 = new int[splitCount];
        var thresholds = new float[splitCount];
        for (var s = 0; s < splitCount; s++)
        {
            idx1[s] = reader.ReadInt32();
            idx2[s] = reader.ReadInt32();
            thresholds[s] = reader.ReadSingle();
        }

        var leafCount = reader.ReadCount();
        if (leafCount != splitCount + 1)
        {
            throw new InvalidDataException($"a regression tree with {splitCount} splits must have {splitCount + 1} leaves, not {leafCount}");
        }

        var leaves = new float[leafCount * shapeLength];
        for (var leaf = 0; leaf < leafCount; leaf++)
        {
            var values = reader.ReadFloatColumn();
            if (values.Length != shapeLength)
            {
                throw new InvalidDataException($"leaf holds {values.Length} values, the shape has {shapeLength}");
            }

            values.CopyTo(leaves, leaf * shapeLength);
        }

        return new RegressionTree(idx1, idx2, thresholds, leaves);
    }
}

/// <summary>One regression tree, complete binary, nodes in breadth-first order (children of i at 2i+1, 2i+2).</summary>
internal sealed record RegressionTree(int[] FeatureA, int[] FeatureB, float[] Thresholds, float[] Leaves);

/// <summary>The trees of one cascade level and the feature pixels they compare.</summary>
internal sealed record CascadeLevel(RegressionTree[] Trees, int[] Anchors, float[] Deltas)
{
    public int FeatureCount => Anchors.Length;

    public void Validate(int partCount)
    {
        if (Deltas.Length != 2 * Anchors.Length)
        {
            throw new InvalidDataException("anchors and deltas differ in length");
        }

        if (Anchors.Any(a => a < 0 || a >= partCount))
        {
            throw new InvalidDataException("a feature pixel is anchored to a landmark the shape does not have");
        }

        foreach (var tree in Trees)
        {
            if (tree.FeatureA.Any(i => i < 0 || i >= FeatureCount) || tree.FeatureB.Any(i => i < 0 || i >= FeatureCount))
            {
                throw new InvalidDataException("a split compares a feature pixel the level does not have");
            }
        }
    }
}
