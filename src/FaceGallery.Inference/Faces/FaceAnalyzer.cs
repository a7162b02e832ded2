using System.Diagnostics;
using FaceGallery.Inference.Faces.Alignment;
using FaceGallery.Inference.Faces.Detection;
using FaceGallery.Inference.Faces.Geometry;
using FaceGallery.Inference.Faces.Landmarks;
using FaceGallery.Inference.Faces.Quality;
using FaceGallery.Inference.Imaging;
using FaceGallery.Inference.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FaceGallery.Inference.Faces;

/// <summary>
/// Photo → faces: decode (limits, EXIF), detect, place dlib's five landmarks inside each detection,
/// cut the aligned chip and score quality v1 (<see cref="Analyze(RgbImage, CancellationToken)"/>); then,
/// with <see cref="AnalyzeAndEmbedAsync(RgbImage, CancellationToken)"/>, embed the chips and score their
/// quality with the configured estimator, which may read the embedding. Thread-safe. Reports found faces
/// and a "detect faces" span to <paramref name="telemetry"/> when a host provides one.
/// </summary>
public sealed class FaceAnalyzer(
    ImageDecoder decoder,
    IFaceDetector detector,
    ShapePredictor landmarks,
    IFaceEmbedder embedder,
    IFaceQualityEstimator quality,
    IOptions<FaceAnalyzerOptions> options,
    ILogger<FaceAnalyzer> logger,
    GalleryTelemetry? telemetry = null)
{
    // The shape predictor was trained on dlib detector boxes. Over the 67 faces of dlib's
    // examples/faces that BlazeFace and dlib's HOG detector both found, a HOG box is on average the
    // BlazeFace box moved up by ~4-5 % of its height and enlarged ~5 %; with this mapping the landmarks
    // agree with those from the HOG box to 2.5 % of the eye distance on average (vs 3.2 % unmapped).
    private const double BoxShiftUp = 0.04;
    private const double BoxScale = 1.05;

    /// <summary>The estimator whose scores <see cref="AnalyzeAndEmbedAsync(RgbImage, CancellationToken)"/> reports.</summary>
    public string QualityEstimator => quality.Name;

    public IReadOnlyList<AnalyzedFace> Analyze(ReadOnlySpan<byte> encodedImage, CancellationToken cancellationToken) =>
        Analyze(decoder.Decode(encodedImage), cancellationToken);

    public IReadOnlyList<AnalyzedFace> Analyze(RgbImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var activity = GalleryTelemetry.ActivitySource.StartActivity("detect faces");
        activity?.SetTag("facegallery.image.pixels", (long)image.Width * image.Height);
        var started = Stopwatch.GetTimestamp();
        var detections = detector.Detect(image, cancellationToken);
        var faces = new List<AnalyzedFace>(Math.Min(detections.Count, options.Value.MaxFaces));
        foreach (var detection in detections.Take(options.Value.MaxFaces))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var shape = landmarks.Predict(image, LandmarkBox(detection.Box));
            var chip = FaceChipExtractor.ExtractFaceChip(image, shape);
            faces.Add(new AnalyzedFace(detection.Box, detection.Score, shape, chip,
                FaceQualityEstimator.Estimate(detection.Score, shape, chip)));
        }

        activity?.SetTag("facegallery.faces", faces.Count);
        if (faces.Count > 0)
        {
            telemetry?.RecordFaces(faces.Count, GalleryTelemetry.DetectStage);
        }

        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        FaceLog.Analyzed(logger, image.Width, image.Height, detections.Count, faces.Count, elapsedMs);
        return faces;
    }

    public Task<IReadOnlyList<EmbeddedFace>> AnalyzeAndEmbedAsync(byte[] encodedImage, CancellationToken cancellationToken) =>
        AnalyzeAndEmbedAsync(decoder.Decode(encodedImage), cancellationToken);

    /// <summary>Every face of the image, embedded (the chips of one image share the embedder's batches) and scored by the configured estimator.</summary>
    public async Task<IReadOnlyList<EmbeddedFace>> AnalyzeAndEmbedAsync(RgbImage image, CancellationToken cancellationToken)
    {
        var faces = Analyze(image, cancellationToken);
        if (faces.Count == 0)
        {
            return [];
        }

        var embeddings = await embedder.EmbedAsync(faces.Select(f => f.AlignedChip).ToArray(), cancellationToken);
        var evidence = new QualityEvidence[faces.Count];
        for (var i = 0; i < evidence.Length; i++)
        {
            var resolution = Math.Min(1, faces[i].Quality.InterOcularDistance / FaceQualityEstimator.ChipInterOcularDistance);
            evidence[i] = new QualityEvidence(faces[i].Chip, resolution, faces[i].Quality.Score, embeddings[i]);
        }

        var scores = quality.Score(evidence);
        var embedded = new EmbeddedFace[faces.Count];
        for (var i = 0; i < embedded.Length; i++)
        {
            embedded[i] = new EmbeddedFace(faces[i].Box, faces[i].DetectionScore, embeddings[i], scores[i], quality.Name);
        }

        return embedded;
    }

    /// <summary>
    /// An already aligned 150×150 chip (dlib's layout), embedded and scored. With no detection or landmarks,
    /// quality v1 rests on the sharpness cue alone and the learned estimator takes the chip's resolution as full.
    /// </summary>
    public async Task<EmbeddedFace> EmbedChipAsync(RgbImage chip, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chip);
        if (chip.Width != AlignedFaceChip.Size || chip.Height != AlignedFaceChip.Size)
        {
            throw new ArgumentException($"an aligned chip is {AlignedFaceChip.Size}×{AlignedFaceChip.Size}; this image is {chip.Width}×{chip.Height}.", nameof(chip));
        }

        var embedding = await embedder.EmbedAsync(new AlignedFaceChip(chip.Pixels), cancellationToken);
        var v1 = (float)FaceQualityEstimator.Sharpness(chip);
        var score = quality.Score([new QualityEvidence(chip, 1.0, v1, embedding)])[0];
        return new EmbeddedFace(new FaceBox(0, 0, chip.Width, chip.Height), 1f, embedding, score, quality.Name);
    }

    /// <summary>The dlib-style box the shape predictor expects for a BlazeFace box.</summary>
    public static PixelRect LandmarkBox(FaceBox detected)
    {
        var centre = detected.Center;
        var width = detected.Width * BoxScale;
        var height = detected.Height * BoxScale;
        var y = centre.Y - BoxShiftUp * detected.Height;
        return new FaceBox(centre.X - width / 2, y - height / 2, width, height).ToPixelRect();
    }
}
