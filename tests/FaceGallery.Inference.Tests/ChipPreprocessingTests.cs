using FaceGallery.Inference.Faces;

namespace FaceGallery.Inference.Tests;

public sealed class ChipPreprocessingTests
{
    [Fact]
    public void Interleaved_rgb_becomes_planar_floats_with_the_raw_byte_values()
    {
        var rgb = new byte[AlignedFaceChip.ByteLength];
        new Random(7).NextBytes(rgb);
        var planar = new float[ChipPreprocessing.FloatLength];

        ChipPreprocessing.WritePlanar(rgb, planar);

        // The obvious per-pixel indexing, as a reference for the sliced loop.
        for (var row = 0; row < AlignedFaceChip.Size; row++)
        {
            for (var col = 0; col < AlignedFaceChip.Size; col++)
            {
                for (var channel = 0; channel < 3; channel++)
                {
                    var expected = rgb[((row * AlignedFaceChip.Size) + col) * 3 + channel];
                    var actual = planar[(channel * AlignedFaceChip.Size * AlignedFaceChip.Size) + (row * AlignedFaceChip.Size) + col];
                    Assert.Equal(expected, actual);
                }
            }
        }
    }
}
