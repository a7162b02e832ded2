using Xunit.Abstractions;

namespace FaceGallery.Coreset.Tests;

/// <summary>The ONNX graph in ONNX Runtime against the plain C# reference on seeded random sets.</summary>
[Collection(CoresetModelCollection.Name)]
public sealed class ReferenceParityTests(CoresetModelFixture model, ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 40)]
    [InlineData(3, 40)]
    [InlineData(7, 30)]
    [InlineData(30, 20)]
    [InlineData(500, 4)]
    public void Onnx_descriptor_and_coreset_match_the_reference(int faces, int sets)
    {
        var worst = 0.0;
        for (var s = 0; s < sets; s++)
        {
            var members = FaceSets.Random(seed: 1000 * faces + s, faces, spread: s % 2 == 0 ? 0.35 : 1.0);
            var onnx = model.Aggregator.Aggregate(members);
            var reference = model.Reference.Aggregate(members);

            Assert.Equal(reference.Coreset, onnx.Coreset);
            var difference = FaceSets.MaxAbsDifference(onnx.Vector, reference.Descriptor);
            worst = Math.Max(worst, difference);
            Assert.True(difference <= Tolerance, $"N={faces}, set {s}: max abs difference {difference:E2} > {Tolerance:E0}");
        }

        output.WriteLine($"N={faces}: {sets} sets, max abs difference {worst:E2}");
    }
}
