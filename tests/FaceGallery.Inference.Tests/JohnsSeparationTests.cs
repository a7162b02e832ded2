using System.Numerics.Tensors;
using FaceGallery.Inference.Faces;
using Xunit.Abstractions;

namespace FaceGallery.Inference.Tests;

/// <summary>
/// dlib's examples/johns: 5 men named John, 11 chips each. dlib documents that two descriptors belong to the
/// same person when their Euclidean distance is below 0.6; this checks that on every one of the 1485 pairs.
/// </summary>
[Collection(EmbedderCollection.Name)]
public sealed class JohnsSeparationTests(EmbedderFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Every_same_person_pair_is_within_the_threshold_and_every_different_person_pair_beyond_it()
    {
        var threshold = fixture.Embedder.Manifest.Embedding!.Threshold;
        var johns = DlibReference.Johns();
        var descriptors = fixture.Embedder.EmbedBatch(johns.Select(c => new AlignedFaceChip(DlibReference.LoadRgb(c.File))).ToArray());

        var same = new List<float>();
        var different = new List<float>();
        var violations = new List<string>();
        for (var i = 0; i < johns.Count; i++)
        {
            for (var j = i + 1; j < johns.Count; j++)
            {
                var distance = TensorPrimitives.Distance(descriptors[i], descriptors[j]);
                var isSame = johns[i].Label == johns[j].Label;
                (isSame ? same : different).Add(distance);
                if (isSame != distance < threshold)
                {
                    violations.Add($"{johns[i].File} ~ {johns[j].File}: {distance:F4}");
                }
            }
        }

        output.WriteLine($"same person: {same.Count} pairs, distance {same.Min():F4}..{same.Max():F4}");
        output.WriteLine($"different people: {different.Count} pairs, distance {different.Min():F4}..{different.Max():F4}");
        violations.ForEach(output.WriteLine);
        Assert.Equal(5 * 55, same.Count);
        Assert.Equal(55 * 54 / 2 - 5 * 55, different.Count);
        Assert.Empty(violations);
    }

    [Fact]
    public void Every_pair_gets_the_same_verdict_as_with_dlibs_own_descriptors()
    {
        var threshold = fixture.Embedder.Manifest.Embedding!.Threshold;
        var johns = DlibReference.Johns();
        var descriptors = fixture.Embedder.EmbedBatch(johns.Select(c => new AlignedFaceChip(DlibReference.LoadRgb(c.File))).ToArray());

        for (var i = 0; i < johns.Count; i++)
        {
            for (var j = i + 1; j < johns.Count; j++)
            {
                var ours = TensorPrimitives.Distance(descriptors[i], descriptors[j]);
                var dlib = TensorPrimitives.Distance(johns[i].Descriptor, johns[j].Descriptor);
                Assert.True(ours < threshold == dlib < threshold, $"{johns[i].File} ~ {johns[j].File}: {ours} vs dlib {dlib}");
                Assert.Equal(dlib, ours, 1e-4f);
            }
        }
    }
}
