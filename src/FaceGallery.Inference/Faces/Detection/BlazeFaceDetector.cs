using FaceGallery.Inference.Faces.Geometry;
using FaceGallery.Inference.Imaging;
using FaceGallery.Inference.Onnx;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using SkiaSharp;

namespace FaceGallery.Inference.Faces.Detection;

/// <summary>
/// MediaPipe BlazeFace (full-range model, 256×256 input) on ONNX Runtime. The image — and, when it is
/// large, overlapping tiles of it, so small faces in group photos keep enough pixels — is letterboxed
/// into the model's square input; the 896 anchors are decoded into boxes and six keypoints, and
/// overlapping detections from all passes are blended by weighted non-maximum suppression. Thread-safe.
/// </summary>
public sealed class BlazeFaceDetector : IFaceDetector
{
    public const int InputSize = 256;
    private const int KeypointCount = 6;
    private const int ValuesPerAnchor = 4 + 2 * KeypointCount;
    private const string InputName = "input:0";

    // Fraction of the image's longer side that tiles overlap by. Faces larger than about a tenth of
    // the image are found by the whole-image pass; smaller ones fit whole inside some tile.
    private const double TileOverlap = 0.12;

    // A tile detection this close to a tile edge that is not an image edge may be a cut face.
    private const double TileEdgeMargin = 2;

    // Score and box outputs of the stride-16 (16×16 cells × 2 anchors) and stride-32 (8×8 × 6) heads.
    private static readonly string[] OutputNames = ["Identity:0", "Identity_1:0", "Identity_2:0", "Identity_3:0"];
    private static readonly (float X, float Y)[] AnchorCentres = Anchors.Generate(InputSize, [16, 32], [2, 6]);

    private readonly ModelSession model;
    private readonly BlazeFaceOptions options;

    public BlazeFaceDetector(OnnxSessionFactory sessions, IOptions<BlazeFaceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        this.options = options.Value;
        model = sessions.GetSession(new OnnxModelOptions(this.options.Model)
        {
            IntraOpNumThreads = this.options.IntraOpNumThreads > 0 ? this.options.IntraOpNumThreads : null,
        });
        if (!model.Session.InputMetadata.ContainsKey(InputName) || OutputNames.Any(n => !model.Session.OutputMetadata.ContainsKey(n)))
        {
            throw new InvalidDataException($"Model {model.Manifest.Name} does not have BlazeFace's input and four outputs.");
        }
    }

    public ModelManifest Manifest => model.Manifest;

    public string Provider => model.Provider;

    public IReadOnlyList<FaceDetection> Detect(RgbImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var source = SkiaImages.ToSkImage(image);
        var candidates = new List<FaceDetection>();
        foreach (var region in Regions(image.Width, image.Height))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var found = DetectInRegion(source, region);
            candidates.AddRange(region.IsWholeImage ? found : found.Where(d => !TouchesInnerEdge(d.Box, region, image)));
        }

        return WeightedSuppression.Apply(candidates, options.SuppressionIou);
    }

    /// <summary>The whole image, then overlapping tiles when faces could otherwise fall below the model's reach.</summary>
    internal IEnumerable<Region> Regions(int width, int height)
    {
        yield return new Region(0, 0, width, height, IsWholeImage: true);
        var longer = Math.Max(width, height);
        var perSide = Math.Min(options.MaxTilesPerSide, (int)Math.Ceiling(longer / (2.0 * InputSize)));
        if (perSide < 2)
        {
            yield break;
        }

        var overlap = TileOverlap * longer;
        var columns = Math.Max(1, Math.Min(perSide, (int)Math.Ceiling(width / (2.0 * InputSize))));
        var rows = Math.Max(1, Math.Min(perSide, (int)Math.Ceiling(height / (2.0 * InputSize))));
        var tileWidth = Math.Min(width, (width + (columns - 1) * overlap) / columns);
        var tileHeight = Math.Min(height, (height + (rows - 1) * overlap) / rows);
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var x = columns == 1 ? 0 : c * (width - tileWidth) / (columns - 1);
                var y = rows == 1 ? 0 : r * (height - tileHeight) / (rows - 1);
                yield return new Region(x, y, tileWidth, tileHeight, IsWholeImage: false);
            }
        }
    }

    private List<FaceDetection> DetectInRegion(SKImage source, Region region)
    {
        // Letterbox: keep the aspect ratio, centre the region in the square, leave the rest black.
        var scale = InputSize / Math.Max(region.Width, region.Height);
        var padX = (InputSize - region.Width * scale) / 2;
        var padY = (InputSize - region.Height * scale) / 2;
        var input = new float[InputSize * InputSize * 3];
        using (var square = new SKBitmap(new SKImageInfo(InputSize, InputSize, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            using (var canvas = new SKCanvas(square))
            {
                canvas.Clear(SKColors.Black);
                canvas.DrawImage(
                    source,
                    SKRect.Create((float)region.X, (float)region.Y, (float)region.Width, (float)region.Height),
                    SKRect.Create((float)padX, (float)padY, (float)(region.Width * scale), (float)(region.Height * scale)),
                    new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
            }

            var rgba = square.GetPixelSpan();
            for (int p = 0, i = 0; p < input.Length; p += 3, i += 4)
            {
                input[p] = rgba[i] / 127.5f - 1f;
                input[p + 1] = rgba[i + 1] / 127.5f - 1f;
                input[p + 2] = rgba[i + 2] / 127.5f - 1f;
            }
        }

        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, InputSize, InputSize, 3]);
        using var runOptions = new RunOptions();
        using var outputs = model.Session.Run(runOptions, [InputName], [inputValue], OutputNames);
        var detections = new List<FaceDetection>();
        Decode(outputs[0].GetTensorDataAsSpan<float>(), outputs[2].GetTensorDataAsSpan<float>(), 0, region, scale, padX, padY, detections);
        Decode(outputs[1].GetTensorDataAsSpan<float>(), outputs[3].GetTensorDataAsSpan<float>(), 512, region, scale, padX, padY, detections);
        return detections;
    }

    private void Decode(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, int firstAnchor, Region region,
        double scale, double padX, double padY, List<FaceDetection> detections)
    {
        for (var i = 0; i < scores.Length; i++)
        {
            // MediaPipe clips raw scores to ±100 before the sigmoid.
            var score = 1f / (1f + MathF.Exp(-Math.Clamp(scores[i], -100f, 100f)));
            if (score < options.MinScore)
            {
                continue;
            }

            var anchor = AnchorCentres[firstAnchor + i];
            var values = boxes.Slice(i * ValuesPerAnchor, ValuesPerAnchor);

            // Offsets are in input pixels relative to the anchor centre; map them back to image pixels.
            PointD ToImage(float dx, float dy) => new(
                region.X + (anchor.X * InputSize + dx - padX) / scale,
                region.Y + (anchor.Y * InputSize + dy - padY) / scale);

            var centre = ToImage(values[0], values[1]);
            var width = values[2] / scale;
            var height = values[3] / scale;
            var keypoints = new PointD[KeypointCount];
            for (var k = 0; k < KeypointCount; k++)
            {
                keypoints[k] = ToImage(values[4 + 2 * k], values[5 + 2 * k]);
            }

            detections.Add(new FaceDetection(new FaceBox(centre.X - width / 2, centre.Y - height / 2, width, height), score, keypoints));
        }
    }

    private static bool TouchesInnerEdge(FaceBox box, Region region, RgbImage image) =>
        (box.X < region.X + TileEdgeMargin && region.X > 0)
        || (box.Y < region.Y + TileEdgeMargin && region.Y > 0)
        || (box.Right > region.X + region.Width - TileEdgeMargin && region.X + region.Width < image.Width)
        || (box.Bottom > region.Y + region.Height - TileEdgeMargin && region.Y + region.Height < image.Height);

    internal readonly record struct Region(double X, double Y, double Width, double Height, bool IsWholeImage);
}
