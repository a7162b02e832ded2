namespace FaceGallery.Inference.Faces;

/// <summary>
/// One aligned face, as dlib's `extract_image_chip(img, get_face_chip_details(shape5, 150, 0.25))` makes
/// it: 150×150 pixels, 8-bit RGB interleaved (R, G, B per pixel), rows top to bottom, no padding
/// between rows. This is the layout image decoders give, so callers need no float conversion of their own.
/// </summary>
public readonly record struct AlignedFaceChip
{
    public const int Size = 150;
    public const int Channels = 3;
    public const int ByteLength = Size * Size * Channels;

    public AlignedFaceChip(ReadOnlyMemory<byte> rgb)
    {
        if (rgb.Length != ByteLength)
        {
            throw new ArgumentException(
                $"An aligned chip is {Size}×{Size} RGB = {ByteLength} bytes; got {rgb.Length}.", nameof(rgb));
        }

        Rgb = rgb;
    }

    public ReadOnlyMemory<byte> Rgb { get; }
}
