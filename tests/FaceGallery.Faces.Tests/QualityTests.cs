using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Alignment;
using FaceGallery.Inference.Faces.Geometry;
using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Faces.Quality;
using Xunit.Abstractions;

namespace FaceGallery.Faces.Tests;

public sealed class QualityTests(FacePipelineFixture fixture, ITestOutputHelper output) : IClassFixture<FacePipelineFixture>
{
    private static readonly PointD[] MeanFace =
    [
        new(0.8595674595992, 0.2134981538014), new(0.6460604764104, 0.2289674387677),
        new(0.1205750620789, 0.2137274526848), new(0.3340850613712, 0.2290642403242),
        new(0.4901123135679, 0.6277975316475),
    ];

    [Fact]
    public void Sharp_face_scores_above_its_blurred_copies()
    {
        var image = fixture.Decode(Path.Combine(TestPaths.DlibPhotos, "Tom_Cruise_avp_2014_4.jpg"));
        var sharp = Best(image);

        var blurred = Best(ImageOps.Blur(image, 2));
        var veryBlurred = Best(ImageOps.Blur(image, 5));

        output.WriteLine($"sharp {Describe(sharp)}\nblur σ=2 {Describe(blurred)}\nblur σ=5 {Describe(veryBlurred)}");
        Assert.True(sharp.Score > blurred.Score);
        Assert.True(blurred.Score > veryBlurred.Score);
        Assert.True(sharp.Sharpness > blurred.Sharpness && blurred.Sharpness > veryBlurred.Sharpness);
    }

    [Fact]
    public void Face_scores_above_its_downscaled_copies()
    {
        var image = fixture.Decode(Path.Combine(TestPaths.DlibPhotos, "Tom_Cruise_avp_2014_4.jpg"));
        var full = Best(image);

        var quarter = Best(ImageOps.Resize(image, 0.25));
        var eighth = Best(ImageOps.Resize(image, 0.125));

        output.WriteLine($"full {Describe(full)}\n1/4 {Describe(quarter)}\n1/8 {Describe(eighth)}");
        Assert.True(full.Score > quarter.Score);
        Assert.True(quarter.Score > eighth.Score);
    }

    [Fact]
    public void Same_landmarks_with_a_blurred_chip_score_lower()
    {
        var image = fixture.Decode(Path.Combine(TestPaths.DlibPhotos, "2008_002470.jpg"));
        var face = fixture.Analyzer.Analyze(image, CancellationToken.None)[0];

        var blurredChip = ImageOps.Blur(face.Chip, 1.5f);

        var sharp = FaceQualityEstimator.Estimate(face.DetectionScore, face.Landmarks, face.Chip);
        var blurred = FaceQualityEstimator.Estimate(face.DetectionScore, face.Landmarks, blurredChip);
        Assert.True(sharp.Score > blurred.Score, $"{sharp.Score} vs {blurred.Score}");
        Assert.Equal(sharp.Pose, blurred.Pose);
    }

    [Fact]
    public void Mean_face_is_frontal_and_a_turned_face_is_not()
    {
        var frontal = new FaceLandmarks(MeanFace.Select(p => p * 100).ToArray());
        var turned = new FaceLandmarks(MeanFace.Select((p, i) => i == 4 ? new PointD(p.X * 100 + 20, p.Y * 100) : p * 100).ToArray());

        var (frontalYaw, frontalPitch) = FaceQualityEstimator.PoseAsymmetry(frontal);
        var (turnedYaw, _) = FaceQualityEstimator.PoseAsymmetry(turned);

        Assert.InRange(frontalYaw, 0, 0.01);
        Assert.InRange(frontalPitch, 0, 0.01);
        Assert.True(turnedYaw > 0.3, $"yaw asymmetry {turnedYaw}");
    }

    [Fact]
    public void Quality_spreads_over_dlibs_example_faces()
    {
        var scores = fixture.Reference.Photos
            .SelectMany(p => fixture.Analyzer.Analyze(fixture.Decode(p.Path), CancellationToken.None))
            .Select(f => f.Quality.Score)
            .Order()
            .ToArray();

        output.WriteLine($"{scores.Length} faces: min {scores[0]:F3}, median {scores[scores.Length / 2]:F3}, max {scores[^1]:F3}");
        Assert.All(scores, s => Assert.InRange(s, 0f, 1f));
        Assert.True(scores[^1] - scores[0] > 0.3, "quality should separate good faces from poor ones");
    }

    private FaceQuality Best(Inference.Imaging.RgbImage image)
    {
        var faces = fixture.Analyzer.Analyze(image, CancellationToken.None);
        Assert.NotEmpty(faces);
        return faces.MaxBy(f => f.Box.Area)!.Quality;
    }

    private static string Describe(FaceQuality q) =>
        $"q={q.Score:F3} conf={q.Confidence:F2} res={q.Resolution:F2} (iod {q.InterOcularDistance:F0}px) sharp={q.Sharpness:F2} (lapvar {q.LaplacianVariance:F0}) pose={q.Pose:F2}";
}
