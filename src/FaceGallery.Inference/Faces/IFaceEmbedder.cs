using FaceGallery.Inference.Onnx;

namespace FaceGallery.Inference.Faces;

/// <summary>
/// Maps aligned face chips to descriptors. Descriptors are the network's raw output (not unit length);
/// compare them with <see cref="EmbeddingSpace.Distance"/> and <see cref="EmbeddingSpace.Threshold"/>
/// from <see cref="Manifest"/>.
/// </summary>
public interface IFaceEmbedder
{
    ModelManifest Manifest { get; }

    /// <summary>Execution provider the model runs on (ONNX Runtime's name).</summary>
    string Provider { get; }

    int Dimension { get; }

    Task<float[]> EmbedAsync(AlignedFaceChip chip, CancellationToken cancellationToken);

    Task<float[][]> EmbedAsync(IReadOnlyList<AlignedFaceChip> chips, CancellationToken cancellationToken);
}
