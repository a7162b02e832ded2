using FaceGallery.Inference.Faces;
using Xunit.Abstractions;

namespace FaceGallery.Inference.Tests;

/// <summary>The converted graph against dlib itself: same chips, dlib's descriptors from its own C++ forward pass.</summary>
[Collection(EmbedderCollection.Name)]
public sealed class DlibParityTests(EmbedderFixture fixture, ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    [Fact]
    public void Onnx_matches_dlib_on_every_johns_chip() => AssertMatchesDlib(DlibReference.Johns(), expectedChips: 55);

    [Fact]
    public void Onnx_matches_dlib_on_the_chips_dlib_cut_from_its_example_photos()
    {
        var chips = DlibReference.PhotoChips();
        Assert.True(chips.Count >= 20, $"only {chips.Count} reference chips from the example photos");
        AssertMatchesDlib(chips, chips.Count);
    }

    private void AssertMatchesDlib(IReadOnlyList<ReferenceChip> reference, int expectedChips)
    {
        Assert.Equal(expectedChips, reference.Count);
        var chips = reference.Select(c => new AlignedFaceChip(DlibReference.LoadRgb(c.File))).ToArray();

        var actual = fixture.Embedder.EmbedBatch(chips);

        var worst = 0f;
        var worstFile = "";
        for (var i = 0; i < reference.Count; i++)
        {
            Assert.Equal(128, actual[i].Length);
            var difference = MaxAbsDifference(actual[i], reference[i].Descriptor);
            if (difference > worst)
            {
                (worst, worstFile) = (difference, reference[i].File);
            }
        }

        output.WriteLine($"{reference.Count} chips, max |onnx - dlib| = {worst:E2} ({worstFile})");
        Assert.InRange(worst, 0f, Tolerance);
    }

    internal static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(a[i] - b[i]));
        }

        return max;
    }
}
