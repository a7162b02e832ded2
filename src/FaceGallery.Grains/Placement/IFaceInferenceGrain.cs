using FaceGallery.Grains.Faces;

namespace FaceGallery.Grains.Placement;

/// <summary>
/// Heavy inference placed on accelerator silos: image analysis and set aggregation. Keyed by a small
/// integer so several activations can spread over several accelerator silos.
/// </summary>
[Alias("fg.IFaceInferenceGrain")]
public interface IFaceInferenceGrain : IGrainWithIntegerKey
{
    [Alias("Analyze")]
    Task<ImageBatchFaces> Analyze(IReadOnlyList<FaceImage> images, CancellationToken cancellationToken = default);

    [Alias("Aggregate")]
    Task<WireSetDescriptor> Aggregate(IReadOnlyList<WireSetMember> members, CancellationToken cancellationToken = default);
}
