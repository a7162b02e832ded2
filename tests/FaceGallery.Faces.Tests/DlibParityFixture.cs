using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Imaging;

namespace FaceGallery.Faces.Tests;

/// <summary>Loads the shape predictor and dlib's reference outputs once for the parity tests.</summary>
public sealed class DlibParityFixture
{
    public DlibParityFixture()
    {
        Predictor = new ShapePredictor(ShapePredictorModel.Load(TestPaths.ShapePredictorModel));
        Reference = DlibReference.Load();
    }

    public ShapePredictor Predictor { get; }

    public ImageDecoder Decoder { get; } = new();

    internal DlibReference Reference { get; }

    public RgbImage Decode(string path) => Decoder.Decode(File.ReadAllBytes(path));
}
