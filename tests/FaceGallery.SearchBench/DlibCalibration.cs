using System.Text.Json;

namespace FaceGallery.SearchBench;

/// <summary>
/// Cosine statistics of real dlib descriptors (unit-normalised) that the synthetic identities are fitted to:
/// same-person pairs from dlib's <c>examples/johns</c> (5 people × 11 chips), different-person pairs across
/// those people and across the photos of <c>examples/faces</c> (faces in different photos are taken as
/// different people; pairs inside one photo are left out).
/// </summary>
public sealed class DlibCalibration
{
    private DlibCalibration(float[] mean, double[,] residualCovariance, CosineSummary samePerson, CosineSummary differentPeople)
    {
        Mean = mean;
        ResidualCovariance = residualCovariance;
        SamePerson = samePerson;
        DifferentPeople = differentPeople;
    }

    /// <summary>Mean of all unit descriptors (not unit itself: dlib's descriptors share a large common part).</summary>
    public float[] Mean { get; }

    /// <summary>Covariance of unit descriptors around <see cref="Mean"/> (rank ≤ 90: only 91 faces).</summary>
    public double[,] ResidualCovariance { get; }

    public CosineSummary SamePerson { get; }

    public CosineSummary DifferentPeople { get; }

    public static DlibCalibration Load(string directory)
    {
        var labelled = new List<(string Label, float[] Unit)>();
        using (var johns = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "johns.json"))))
        {
            foreach (var chip in johns.RootElement.GetProperty("chips").EnumerateArray())
            {
                labelled.Add(("john:" + chip.GetProperty("person").GetString(), Unit(chip.GetProperty("descriptor"))));
            }
        }

        var johnCount = labelled.Count;
        using (var faces = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "faces.json"))))
        {
            foreach (var photo in faces.RootElement.GetProperty("photos").EnumerateArray())
            {
                foreach (var face in photo.GetProperty("faces").EnumerateArray())
                {
                    labelled.Add(("photo:" + photo.GetProperty("file").GetString(), Unit(face.GetProperty("descriptor"))));
                }
            }
        }

        var same = new List<double>();
        var different = new List<double>();
        for (var a = 0; a < labelled.Count; a++)
        {
            for (var b = a + 1; b < labelled.Count; b++)
            {
                var cosine = Dot(labelled[a].Unit, labelled[b].Unit);
                if (labelled[a].Label != labelled[b].Label)
                {
                    different.Add(cosine);
                }
                else if (a < johnCount)
                {
                    // Only the johns are labelled per person; faces of one photo are several people.
                    same.Add(cosine);
                }
            }
        }

        var dimension = labelled[0].Unit.Length;
        var mean = new float[dimension];
        foreach (var (_, unit) in labelled)
        {
            for (var d = 0; d < dimension; d++)
            {
                mean[d] += unit[d] / labelled.Count;
            }
        }

        var covariance = new double[dimension, dimension];
        foreach (var (_, unit) in labelled)
        {
            for (var a = 0; a < dimension; a++)
            {
                for (var b = 0; b < dimension; b++)
                {
                    covariance[a, b] += (unit[a] - mean[a]) * (double)(unit[b] - mean[b]) / labelled.Count;
                }
            }
        }

        return new DlibCalibration(mean, covariance, CosineSummary.Of(same), CosineSummary.Of(different));
    }

    private static float[] Unit(JsonElement descriptor)
    {
        var v = descriptor.EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }
}
