using System.Text.Json;
using FaceGallery.Inference.Aggregation;
using Xunit.Abstractions;

namespace FaceGallery.Coreset.Tests;

/// <summary>
/// Replays the sets export.py ran through torch (parity-torch.json beside the model) in ONNX Runtime and
/// in the reference: the exported file and the C# code both reproduce the trained module.
/// </summary>
[Collection(CoresetModelCollection.Name)]
public sealed class TorchParityTests(CoresetModelFixture model, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Onnx_and_reference_reproduce_torch_outputs()
    {
        using var stream = File.OpenRead(Path.Combine(model.ModelDirectory, "parity-torch.json"));
        var parity = JsonSerializer.Deserialize<ParityFile>(stream, JsonOptions)!;
        Assert.NotEmpty(parity.Cases);
        var worstOnnx = 0.0;
        var worstReference = 0.0;
        foreach (var c in parity.Cases)
        {
            var members = c.Embeddings.Select((e, i) => new SetMember(e, c.Qualities[i])).ToArray();
            var onnx = model.Aggregator.Aggregate(members);
            var reference = model.Reference.Aggregate(members);
            var torch = c.Descriptor.Select(v => (double)v).ToArray();

            Assert.Equal(c.Coreset, onnx.Coreset);
            Assert.Equal(c.Coreset, reference.Coreset);
            worstOnnx = Math.Max(worstOnnx, FaceSets.MaxAbsDifference(onnx.Vector, torch));
            worstReference = Math.Max(worstReference, reference.Descriptor.Zip(torch, (a, b) => Math.Abs(a - b)).Max());
        }

        output.WriteLine($"{parity.Cases.Length} sets: ONNX vs torch {worstOnnx:E2}, reference vs torch {worstReference:E2}");
        Assert.True(worstOnnx <= parity.Tolerance, $"ONNX vs torch {worstOnnx:E2}");
        Assert.True(worstReference <= parity.Tolerance, $"reference vs torch {worstReference:E2}");
    }

    private sealed record ParityFile(double Tolerance, ParityCase[] Cases);

    private sealed record ParityCase(float[][] Embeddings, float[] Qualities, float[] Descriptor, int[] Coreset);
}
