namespace FaceGallery.Grains.Faces;

/// <summary>One image sent for analysis: its encoded bytes, and whether it is already an aligned 150×150 chip.</summary>
[GenerateSerializer, Immutable, Alias("fg.FaceImage")]
public sealed record FaceImage([property: Id(0)] byte[] Bytes, [property: Id(1)] bool Aligned);

/// <summary>
/// One face found in an image: box [x, y, w, h] in the decoded (EXIF-upright) image, quality in [0, 1],
/// the detector's score and the embedder's raw descriptor.
/// </summary>
[GenerateSerializer, Immutable, Alias("fg.FoundFace")]
public sealed record FoundFace(
    [property: Id(0)] int[] Box,
    [property: Id(1)] float Quality,
    [property: Id(2)] float DetectionScore,
    [property: Id(3)] float[] Embedding);

/// <summary>The faces of one image (largest first), or why none could be read (a stable error code).</summary>
[GenerateSerializer, Immutable, Alias("fg.ImageFaces")]
public sealed record ImageFaces(
    [property: Id(0)] IReadOnlyList<FoundFace> Faces,
    [property: Id(1)] string? ErrorCode = null,
    [property: Id(2)] string? ErrorDetail = null);

/// <summary>Per-image results in request order, and the silo whose models produced them.</summary>
[GenerateSerializer, Immutable, Alias("fg.ImageBatchFaces")]
public sealed record ImageBatchFaces([property: Id(0)] IReadOnlyList<ImageFaces> Images, [property: Id(1)] string Silo);

/// <summary>A set member on the wire (SetMember holds memory slices, which Orleans does not copy).</summary>
[GenerateSerializer, Immutable, Alias("fg.WireSetMember")]
public sealed record WireSetMember([property: Id(0)] float[] Embedding, [property: Id(1)] float Quality);

[GenerateSerializer, Immutable, Alias("fg.WireSetDescriptor")]
public sealed record WireSetDescriptor([property: Id(0)] float[] Vector, [property: Id(1)] int[] Coreset);
