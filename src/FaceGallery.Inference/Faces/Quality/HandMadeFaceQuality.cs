namespace FaceGallery.Inference.Faces.Quality;

/// <summary>Quality v1 as the selected estimator: the score <see cref="FaceQualityEstimator"/> already gave, unchanged.</summary>
public sealed class HandMadeFaceQuality : IFaceQualityEstimator
{
    public string Name => FaceQualityOptions.V1Estimator;

    public float[] Score(IReadOnlyList<QualityEvidence> faces)
    {
        ArgumentNullException.ThrowIfNull(faces);
        var scores = new float[faces.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Math.Clamp(faces[i].V1Score, 0f, 1f);
        }

        return scores;
    }
}
