namespace FaceGallery.Inference.Faces;

/// <summary>
/// Turns interleaved RGB bytes into the planar float layout the graph takes (N×3×150×150, values 0–255).
/// Mean subtraction and scaling live inside the ONNX graph, exactly as dlib applies them, so nothing here
/// can drift from the reference.
/// </summary>
internal static class ChipPreprocessing
{
    public const int PlaneLength = AlignedFaceChip.Size * AlignedFaceChip.Size;
    public const int FloatLength = PlaneLength * AlignedFaceChip.Channels;

    public static void WritePlanar(ReadOnlySpan<byte> rgb, Span<float> destination)
    {
        if (rgb.Length != AlignedFaceChip.ByteLength)
        {
            throw new ArgumentException($"Expected {AlignedFaceChip.ByteLength} bytes, got {rgb.Length}.", nameof(rgb));
        }

        var red = destination[..PlaneLength];
        var green = destination.Slice(PlaneLength, PlaneLength);
        var blue = destination.Slice(2 * PlaneLength, PlaneLength);
        for (int pixel = 0, offset = 0; pixel < PlaneLength; pixel++, offset += 3)
        {
            red[pixel] = rgb[offset];
            green[pixel] = rgb[offset + 1];
            blue[pixel] = rgb[offset + 2];
        }
    }
}
