using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FaceGallery.Faces.Tests;

/// <summary>
/// Chips from the BlazeFace path must serve the embedder as well as dlib's own (HOG-box) chips: the
/// descriptor of each face's BlazeFace chip should sit far inside dlib's same-person radius (0.6) of
/// the descriptor of dlib's chip for that face.
/// </summary>
public sealed class EmbeddingCompatibilityTests(FacePipelineFixture fixture, ITestOutputHelper output) : IClassFixture<FacePipelineFixture>
{
    [Fact]
    public void BlazeFace_chips_embed_next_to_dlibs_chips_of_the_same_face()
    {
        using var sessions = new OnnxSessionFactory(
            Options.Create(new OnnxRuntimeOptions { ModelsPath = Path.Combine(TestPaths.RepoRoot, "models"), Accelerator = Accelerator.Cpu }),
            NullLogger<OnnxSessionFactory>.Instance);
        using var embedder = new FaceEmbedder(sessions, Options.Create(new FaceEmbedderOptions()), NullLogger<FaceEmbedder>.Instance);
        var distances = new List<double>();
        foreach (var photo in fixture.Reference.Photos)
        {
            var faces = fixture.Analyzer.Analyze(fixture.Decode(photo.Path), CancellationToken.None);
            foreach (var face in faces)
            {
                var dlib = photo.Faces.FirstOrDefault(f =>
                    f.Landmarks[4][0] >= face.Box.X && f.Landmarks[4][0] <= face.Box.Right && f.Landmarks[4][1] >= face.Box.Y && f.Landmarks[4][1] <= face.Box.Bottom);
                if (dlib is null)
                {
                    continue;
                }

                var pair = embedder.EmbedBatch([face.AlignedChip, new AlignedFaceChip(fixture.Decode(dlib.ChipPath).Pixels)]);
                distances.Add(Math.Sqrt(pair[0].Zip(pair[1], (a, b) => (double)(a - b) * (a - b)).Sum()));
            }
        }

        distances.Sort();
        output.WriteLine($"{distances.Count} faces: descriptor distance BlazeFace chip ↔ dlib chip median {distances[distances.Count / 2]:F3}, max {distances[^1]:F3} (same person < 0.6)");
        Assert.True(distances.Count >= 66);
        Assert.True(distances[distances.Count / 2] < 0.2);
        Assert.True(distances[^1] < 0.5, $"max distance {distances[^1]}");
    }
}
