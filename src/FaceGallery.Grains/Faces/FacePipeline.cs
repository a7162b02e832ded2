using FaceGallery.Contracts;
using FaceGallery.Inference.Faces;
using FaceGallery.Inference.Imaging;

namespace FaceGallery.Grains.Faces;

/// <summary>
/// This process's models, image by image: decode → detect → align → embed → quality (the configured
/// estimator, see <see cref="FaceAnalyzer.AnalyzeAndEmbedAsync(byte[], CancellationToken)"/>). Faces come back
/// largest first. Bad images become per-image error codes, so one bad file never fails a batch.
/// </summary>
public sealed class FacePipeline(ImageDecoder decoder, FaceAnalyzer analyzer)
{
    public async Task<IReadOnlyList<ImageFaces>> AnalyzeAsync(IReadOnlyList<FaceImage> images, CancellationToken cancellationToken)
    {
        // Images run side by side so their chips meet in the embedder's batches.
        var tasks = new Task<ImageFaces>[images.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            var image = images[i];
            tasks[i] = Task.Run(() => AnalyzeOneAsync(image, cancellationToken), cancellationToken);
        }

        return await Task.WhenAll(tasks);
    }

    private async Task<ImageFaces> AnalyzeOneAsync(FaceImage image, CancellationToken cancellationToken)
    {
        try
        {
            return image.Aligned ? await EmbedChipAsync(image.Bytes, cancellationToken) : await DetectAndEmbedAsync(image.Bytes, cancellationToken);
        }
        catch (GalleryException e)
        {
            return new ImageFaces([], e.Code, e.Message);
        }
    }

    private async Task<ImageFaces> DetectAndEmbedAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        var faces = (await analyzer.AnalyzeAndEmbedAsync(bytes, cancellationToken))
            .OrderByDescending(f => f.Box.Area)
            .ToArray();
        if (faces.Length == 0)
        {
            return new ImageFaces([], ErrorCodes.NoFace, "no face was found in the image.");
        }

        var found = new FoundFace[faces.Length];
        for (var i = 0; i < found.Length; i++)
        {
            var box = faces[i].Box;
            found[i] = new FoundFace(
                [(int)Math.Round(box.X), (int)Math.Round(box.Y), (int)Math.Round(box.Width), (int)Math.Round(box.Height)],
                faces[i].Quality, faces[i].DetectionScore, faces[i].Embedding);
        }

        return new ImageFaces(found);
    }

    /// <summary>An already aligned chip (dlib's 150×150 layout) goes straight to the embedder; no detection or landmarks.</summary>
    private async Task<ImageFaces> EmbedChipAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        var chip = decoder.Decode(bytes);
        if (chip.Width != AlignedFaceChip.Size || chip.Height != AlignedFaceChip.Size)
        {
            return new ImageFaces([], ErrorCodes.InvalidImage,
                $"an aligned chip is {AlignedFaceChip.Size}×{AlignedFaceChip.Size}; this image is {chip.Width}×{chip.Height}.");
        }

        var face = await analyzer.EmbedChipAsync(chip, cancellationToken);
        return new ImageFaces([new FoundFace([0, 0, chip.Width, chip.Height], face.Quality, face.DetectionScore, face.Embedding)]);
    }
}
