using System.Text.Json;
using FaceGallery.Inference.Imaging;

namespace FaceGallery.Cli.Evaluation;

/// <summary>A real face the quality model learns from: its chip, the person or photo it comes from, and its source resolution.</summary>
public sealed record QualitySource(string File, string Group, string Holdout, RgbImage Image, double Resolution);

/// <summary>
/// Writes `quality-data.jsonl` for the learned quality estimator: every source chip and its mirror image,
/// clean and degraded many ways (each kind alone at random strengths, and random combinations of two or
/// three), one line per face with its embedding, <see cref="Inference.Faces.Quality.ChipCues"/>, quality v1
/// and the target, the cosine of the degraded embedding to the clean one. Identity is never needed, so
/// every real face serves; `holdout` names the person (or, for unlabelled photo faces, the photo) so
/// training can hold people out.
/// </summary>
public sealed class QualityDataWriter(RealFaceFactory faces, int seed)
{
    private const int DrawsPerKind = 5;
    private const int Combinations = 14;

    private static readonly DegradationKind[] Kinds =
        [DegradationKind.Blur, DegradationKind.DownScale, DegradationKind.Noise, DegradationKind.Jpeg, DegradationKind.Occlusion, DegradationKind.Lighting];

    public async Task WriteAsync(IReadOnlyList<QualitySource> sources, string path, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        await using var writer = new StreamWriter(path);
        foreach (var source in sources)
        {
            foreach (var mirrored in new[] { false, true })
            {
                var chip = mirrored ? Mirror(source.Image) : source.Image;
                var variants = Variants(random);
                var made = await faces.MakeAsync(chip, variants, random, source.Resolution, cancellationToken);
                var clean = made[0].Embedding;
                for (var v = 0; v < made.Count; v++)
                {
                    var face = made[v];
                    await writer.WriteLineAsync(JsonSerializer.Serialize(new
                    {
                        source = source.File,
                        group = source.Group,
                        holdout = source.Holdout,
                        mirrored,
                        degradation = string.Join('+', variants[v].Select(d => d.ToString())),
                        target = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(face.Embedding, clean),
                        v1 = face.V1,
                        cues = face.Cues,
                        embedding = face.Embedding,
                    }).AsMemory(), cancellationToken);
                }
            }
        }
    }

    private static List<Degradation[]> Variants(Random random)
    {
        var variants = new List<Degradation[]> { Array.Empty<Degradation>() };
        foreach (var kind in Kinds)
        {
            for (var i = 0; i < DrawsPerKind; i++)
            {
                // Stratified strengths: every fifth of the range once per chip.
                variants.Add([new Degradation(kind, (i + random.NextDouble()) / DrawsPerKind)]);
            }
        }

        for (var i = 0; i < Combinations; i++)
        {
            var count = random.Next(2, 4);
            variants.Add(Enumerable.Range(0, count).Select(_ => new Degradation(Kinds[random.Next(Kinds.Length)], random.NextDouble())).ToArray());
        }

        return variants;
    }

    public static RgbImage Mirror(RgbImage chip)
    {
        ArgumentNullException.ThrowIfNull(chip);
        var result = new byte[chip.Pixels.Length];
        var w = chip.Width;
        for (var y = 0; y < chip.Height; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var from = ((y * w) + x) * 3;
                var to = ((y * w) + (w - 1 - x)) * 3;
                result[to] = chip.Pixels[from];
                result[to + 1] = chip.Pixels[from + 1];
                result[to + 2] = chip.Pixels[from + 2];
            }
        }

        return new RgbImage(w, chip.Height, result);
    }
}
