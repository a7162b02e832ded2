using FaceGallery.Inference.Faces.Alignment;
using FaceGallery.Inference.Faces.Geometry;
using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Imaging;
using Xunit.Abstractions;

namespace FaceGallery.Faces.Tests;

/// <summary>
/// The C# port of dlib's 5-point shape predictor and chip extraction against dlib 19.24 itself
/// (tests/data/dlib-faces, produced by models/dlib-reference).
/// </summary>
public sealed class DlibParityTests(DlibParityFixture fixture, ITestOutputHelper output) : IClassFixture<DlibParityFixture>
{
    [Fact]
    public void Shape_predictor_model_loads_with_five_parts_and_its_cascade()
    {
        var model = fixture.Predictor.Model;
        Assert.Equal(5, model.PartCount);
        Assert.True(model.LevelCount > 1);
        output.WriteLine($"levels {model.LevelCount}, trees/level {model.Levels[0].Trees.Length}, features/level {model.Levels[0].FeatureCount}, leaves/tree {model.Levels[0].Trees[0].Thresholds.Length + 1}");
    }

    [Fact]
    public void Decoder_sees_the_same_pixels_as_dlibs_jpeg_loader()
    {
        foreach (var photo in fixture.Reference.Photos)
        {
            var image = fixture.Decode(photo.Path);
            Assert.Equal((photo.Width, photo.Height), (image.Width, image.Height));
            Assert.Equal(photo.RgbFnv1a, Fnv1a(image).ToString("x16"));
        }
    }

    [Fact]
    public void Landmarks_match_dlib_within_half_a_pixel_given_dlibs_box()
    {
        double maxRounded = 0, maxRaw = 0;
        var faces = 0;
        var exact = 0;
        foreach (var photo in fixture.Reference.Photos)
        {
            var image = fixture.Decode(photo.Path);
            foreach (var face in photo.Faces)
            {
                var box = new PixelRect(face.Box[0], face.Box[1], face.Box[2], face.Box[3]);
                var landmarks = fixture.Predictor.Predict(image, box);
                var faceExact = true;
                for (var k = 0; k < FaceLandmarks.Count; k++)
                {
                    var dlib = new PointD(face.Landmarks[k][0], face.Landmarks[k][1]);
                    var raw = landmarks.Points[k];
                    var rounded = raw.RoundedToPixel();
                    maxRounded = Math.Max(maxRounded, PointD.Distance(rounded, dlib));
                    maxRaw = Math.Max(maxRaw, Math.Max(Math.Abs(raw.X - dlib.X), Math.Abs(raw.Y - dlib.Y)));
                    faceExact &= rounded == dlib;
                }

                faces++;
                exact += faceExact ? 1 : 0;
            }
        }

        output.WriteLine($"{faces} faces, {exact} with all five rounded landmarks equal to dlib's; max distance of rounded landmarks {maxRounded:F3} px; max per-axis offset of unrounded landmarks {maxRaw:F3} px");
        Assert.Equal(68, faces);
        Assert.True(maxRounded < 0.5, $"max landmark distance {maxRounded} px");
        Assert.Equal(faces, exact);
    }

    [Fact]
    public void Chip_geometry_matches_dlibs_get_face_chip_details()
    {
        double maxEdge = 0, maxAngle = 0;
        foreach (var photo in fixture.Reference.Photos)
        {
            foreach (var face in photo.Faces)
            {
                var landmarks = new FaceLandmarks(face.Landmarks.Select(p => new PointD(p[0], p[1])).ToArray());
                var details = FaceChipExtractor.GetFaceChipDetails(landmarks, fixture.Reference.ChipSize, fixture.Reference.ChipPadding);
                double[] edges = [details.Rect.Left, details.Rect.Top, details.Rect.Right, details.Rect.Bottom];
                for (var i = 0; i < 4; i++)
                {
                    maxEdge = Math.Max(maxEdge, Math.Abs(edges[i] - face.ChipRect[i]));
                }

                maxAngle = Math.Max(maxAngle, Math.Abs(details.Angle - face.ChipAngle));
            }
        }

        output.WriteLine($"max chip rectangle edge difference {maxEdge:E2} px, max angle difference {maxAngle:E2} rad");
        Assert.True(maxEdge < 1e-6);
        Assert.True(maxAngle < 1e-9);
    }

    [Fact]
    public void Chips_match_dlibs_extract_image_chip()
    {
        long sum = 0, count = 0;
        var maxDiff = 0;
        var worstChip = "";
        double worstMean = 0;
        foreach (var photo in fixture.Reference.Photos)
        {
            var image = fixture.Decode(photo.Path);
            foreach (var face in photo.Faces)
            {
                var box = new PixelRect(face.Box[0], face.Box[1], face.Box[2], face.Box[3]);
                var chip = FaceChipExtractor.ExtractFaceChip(image, fixture.Predictor.Predict(image, box));
                var expected = fixture.Decode(face.ChipPath);
                Assert.Equal((expected.Width, expected.Height), (chip.Width, chip.Height));
                long chipSum = 0;
                for (var i = 0; i < chip.Pixels.Length; i++)
                {
                    var d = Math.Abs(chip.Pixels[i] - expected.Pixels[i]);
                    chipSum += d;
                    maxDiff = Math.Max(maxDiff, d);
                }

                sum += chipSum;
                count += chip.Pixels.Length;
                var chipMean = chipSum / (double)chip.Pixels.Length;
                if (chipMean > worstMean)
                {
                    worstMean = chipMean;
                    worstChip = face.Chip;
                }
            }
        }

        var mean = sum / (double)count;
        output.WriteLine($"chips: mean absolute difference {mean:F5} (0-255 scale), max {maxDiff}, worst chip {worstChip} at {worstMean:F5}");
        Assert.True(mean < 0.05, $"mean absolute pixel difference {mean}");
        Assert.True(maxDiff <= 2, $"max pixel difference {maxDiff}");
    }

    private static ulong Fnv1a(RgbImage image)
    {
        var hash = 1469598103934665603UL;
        foreach (var b in image.Pixels)
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }

        return hash;
    }
}
