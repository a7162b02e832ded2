using FaceGallery.Inference.Faces.Detection;
using FaceGallery.Inference.Faces.Geometry;
using Xunit.Abstractions;

namespace FaceGallery.Faces.Tests;

/// <summary>BlazeFace against dlib's HOG detector (upsampled once) on dlib's examples/faces photos.</summary>
public sealed class DetectorRecallTests(FacePipelineFixture fixture, ITestOutputHelper output) : IClassFixture<FacePipelineFixture>
{
    // Measured with the default options (score ≥ 0.5, tiles up to 3×3): 67 of dlib HOG's 68 faces,
    // 24 of 24 in bald_guys.jpg, no detection without a HOG face. Whole-image pass only: 66 of 68.
    private const int MinimumMatched = 66;
    private const int MinimumBaldGuys = 23;

    [Fact]
    public void BlazeFace_finds_nearly_every_face_dlibs_hog_detector_finds()
    {
        int total = 0, matched = 0, unmatched = 0, baldGuys = 0;
        foreach (var photo in fixture.Reference.Photos)
        {
            var detections = fixture.Detector.Detect(fixture.Decode(photo.Path), CancellationToken.None);
            var hog = photo.Faces.Select(f => new PixelRect(f.Box[0], f.Box[1], f.Box[2], f.Box[3]).ToFaceBox()).ToList();
            var found = Match(hog, detections);
            output.WriteLine($"{photo.File}: HOG {hog.Count}, BlazeFace {detections.Count}, matched {found}");
            total += hog.Count;
            matched += found;
            unmatched += detections.Count - found;
            baldGuys += photo.File == "bald_guys.jpg" ? found : 0;
        }

        output.WriteLine($"recall vs HOG {matched}/{total}; detections without a HOG face {unmatched}");
        Assert.True(matched >= MinimumMatched, $"matched {matched} of {total}");
        Assert.True(baldGuys >= MinimumBaldGuys, $"bald_guys.jpg: {baldGuys} of 24");
        Assert.True(unmatched <= 2, $"{unmatched} detections without a HOG face");
    }

    [Fact]
    public void Tiling_finds_small_faces_the_whole_image_pass_misses()
    {
        var photo = fixture.Reference.Photos.Single(p => p.File == "bald_guys.jpg");
        var image = fixture.Decode(photo.Path);
        var hog = photo.Faces.Select(f => new PixelRect(f.Box[0], f.Box[1], f.Box[2], f.Box[3]).ToFaceBox()).ToList();
        using var sessions = new Inference.Onnx.OnnxSessionFactory(
            Microsoft.Extensions.Options.Options.Create(new Inference.Onnx.OnnxRuntimeOptions
            {
                ModelsPath = Path.Combine(TestPaths.RepoRoot, "models"),
                Accelerator = Inference.Onnx.Accelerator.Cpu,
            }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Inference.Onnx.OnnxSessionFactory>.Instance);
        var wholeImageOnly = new BlazeFaceDetector(sessions, Microsoft.Extensions.Options.Options.Create(new BlazeFaceOptions { MaxTilesPerSide = 0 }));

        var withTiles = Match(hog, fixture.Detector.Detect(image, CancellationToken.None));
        var withoutTiles = Match(hog, wholeImageOnly.Detect(image, CancellationToken.None));

        output.WriteLine($"bald_guys.jpg: {withTiles} with tiles, {withoutTiles} whole image only");
        Assert.True(withTiles > withoutTiles);
    }

    [Fact]
    public void Keypoints_lie_inside_their_box_with_the_first_eye_on_the_image_left()
    {
        var photo = fixture.Reference.Photos.Single(p => p.File == "2008_002470.jpg");

        var detections = fixture.Detector.Detect(fixture.Decode(photo.Path), CancellationToken.None);

        Assert.NotEmpty(detections);
        foreach (var d in detections)
        {
            Assert.InRange(d.Score, 0.5f, 1f);
            Assert.True(d.Keypoints[0].X < d.Keypoints[1].X);
            Assert.InRange(d.Keypoints[2].X, d.Box.X, d.Box.Right);
            Assert.InRange(d.Keypoints[2].Y, d.Box.Y, d.Box.Bottom);
        }

        Assert.Equal(detections.OrderByDescending(d => d.Score), detections);
    }

    /// <summary>Greedy one-to-one matching: a detection and a HOG box match when each one's centre lies inside the other.</summary>
    internal static int Match(IReadOnlyList<FaceBox> hog, IReadOnlyList<FaceDetection> detections)
    {
        var used = new bool[detections.Count];
        var matched = 0;
        foreach (var box in hog)
        {
            for (var i = 0; i < detections.Count; i++)
            {
                if (!used[i] && Contains(detections[i].Box, box.Center) && Contains(box, detections[i].Box.Center))
                {
                    used[i] = true;
                    matched++;
                    break;
                }
            }
        }

        return matched;
    }

    private static bool Contains(FaceBox box, PointD p) => p.X >= box.X && p.X <= box.Right && p.Y >= box.Y && p.Y <= box.Bottom;
}
