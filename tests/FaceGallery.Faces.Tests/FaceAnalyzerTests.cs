using FaceGallery.Contracts;
using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Faces.Geometry;
using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace FaceGallery.Faces.Tests;

public sealed class FaceAnalyzerTests(FacePipelineFixture fixture, ITestOutputHelper output) : IClassFixture<FacePipelineFixture>
{
    [Fact]
    public void Photo_yields_aligned_chips_whose_landmarks_agree_with_dlibs_from_its_own_detector()
    {
        var errors = new List<double>();
        foreach (var photo in fixture.Reference.Photos)
        {
            var faces = fixture.Analyzer.Analyze(File.ReadAllBytes(photo.Path), CancellationToken.None);
            foreach (var face in faces)
            {
                Assert.Equal((150, 150), (face.Chip.Width, face.Chip.Height));
                Assert.InRange(face.Quality.Score, 0f, 1f);
                var dlib = photo.Faces.FirstOrDefault(f => Inside(face.Box, f.Landmarks[4]));
                if (dlib is null)
                {
                    continue;
                }

                var dlibLandmarks = new FaceLandmarks(dlib.Landmarks.Select(p => new PointD(p[0], p[1])).ToArray());
                errors.Add(Enumerable.Range(0, FaceLandmarks.Count)
                    .Average(k => PointD.Distance(face.Landmarks.Points[k], dlibLandmarks.Points[k])) / dlibLandmarks.InterOcularDistance);
            }
        }

        output.WriteLine($"{errors.Count} faces: landmark distance to dlib's (HOG box) mean {errors.Average():P2}, max {errors.Max():P2} of the eye distance");
        Assert.True(errors.Count >= 66);
        Assert.True(errors.Average() < 0.05);
    }

    [Fact]
    public void Undecodable_upload_surfaces_the_decoder_error_code()
    {
        var error = Assert.Throws<GalleryException>(() => fixture.Analyzer.Analyze("not an image"u8, CancellationToken.None));

        Assert.Equal(ErrorCodes.UnsupportedMedia, error.Code);
    }

    [Fact]
    public void Blank_image_has_no_faces()
    {
        var faces = fixture.Analyzer.Analyze(new Inference.Imaging.RgbImage(640, 480), CancellationToken.None);

        Assert.Empty(faces);
    }

    [Fact]
    public void Service_registration_resolves_the_whole_pipeline()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.Configure<OnnxRuntimeOptions>(o =>
        {
            o.ModelsPath = Path.Combine(TestPaths.RepoRoot, "models");
            o.Accelerator = Accelerator.Cpu;
        });
        services.AddFaceAnalysis();
        using var provider = services.BuildServiceProvider();

        var analyzer = provider.GetRequiredService<FaceAnalyzer>();
        var faces = analyzer.Analyze(File.ReadAllBytes(Path.Combine(TestPaths.DlibPhotos, "Tom_Cruise_avp_2014_4.jpg")), CancellationToken.None);

        Assert.Single(faces);
    }

    private static bool Inside(FaceBox box, long[] p) => p[0] >= box.X && p[0] <= box.Right && p[1] >= box.Y && p[1] <= box.Bottom;
}
