using FaceGallery.Inference.Imaging;

namespace FaceGallery.Inference.Faces.Quality;

/// <summary>
/// What a quality estimator may look at for one face: the aligned chip, the face's resolution in its source
/// (inter-ocular distance over the chip's own, capped at 1; 1 for a chip given as such), quality v1's score,
/// and the embedder's descriptor of the chip.
/// </summary>
public sealed record QualityEvidence(RgbImage Chip, double Resolution, float V1Score, float[] Embedding);

/// <summary>
/// Turns evidence into recognizability in [0, 1] (1 = best), a batch at a time. Which one the pipeline uses
/// is set by <see cref="FaceQualityOptions.Estimator"/>. Thread-safe.
/// </summary>
public interface IFaceQualityEstimator
{
    /// <summary>`v1`, or the learned model's name (e.g. `quality-dlib128-v2`).</summary>
    string Name { get; }

    /// <summary>One score per face, in order.</summary>
    float[] Score(IReadOnlyList<QualityEvidence> faces);
}
