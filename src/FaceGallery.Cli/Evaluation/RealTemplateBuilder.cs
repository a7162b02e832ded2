using FaceGallery.Inference.Imaging;

namespace FaceGallery.Cli.Evaluation;

/// <summary>
/// Templates of real chips. Gallery: each labelled person's first three chips, lightly degraded (one
/// template per person). Mated probes come only from that person's other chips; non-mated probes from the
/// photo chips (people never enrolled), so no source image is on both sides.
/// </summary>
public sealed class RealTemplateBuilder(RealFaceFactory faces, IReadOnlyList<RealChip> chips, int seed)
{
    private const int GalleryChips = 3;
    private const int MatedProbesPerPerson = 24;
    private const int NonMatedProbesPerChip = 3;

    private static readonly DegradationKind[] Kinds =
        [DegradationKind.Blur, DegradationKind.DownScale, DegradationKind.Noise, DegradationKind.Jpeg, DegradationKind.Occlusion, DegradationKind.Lighting];

    /// <summary>(b) Stills with a random degradation each, simulated clips (one chip, one condition, per-frame jitter), or both.</summary>
    public async Task<IReadOnlyList<BenchmarkTemplate>> MixedAsync(CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        var templates = new List<BenchmarkTemplate>(await GalleryAsync(random, cancellationToken));
        var index = 0;
        foreach (var (identity, sources, count) in ProbeSources())
        {
            for (var p = 0; p < count; p++)
            {
                var samples = new List<SampleLine>();
                var kind = random.Next(3);
                if (kind != 1)
                {
                    var stills = random.Next(1, 5);
                    var images = Enumerable.Range(0, stills).Select(_ => sources[random.Next(sources.Count)].Image).ToArray();
                    var degradations = images.Select(_ => new[] { RandomDegradation(random, 0, 1) }).ToArray();
                    samples.AddRange(await DegradeEachAsync(images, degradations, random, cancellationToken));
                }

                if (kind != 0)
                {
                    var frames = random.Next(5, 16);
                    var condition = RandomDegradation(random, 0.3, 1);
                    var chip = sources[random.Next(sources.Count)].Image;
                    var degradations = Enumerable.Range(0, frames)
                        .Select(_ => new[] { condition with { Strength = Math.Clamp(condition.Strength + (0.08 * random.NextGaussian()), 0, 1) }, new Degradation(DegradationKind.Noise, 0.1 * random.NextDouble()) })
                        .ToArray();
                    samples.AddRange(await DegradeEachAsync(Enumerable.Repeat(chip, frames).ToArray(), degradations, random, cancellationToken));
                }

                templates.Add(new BenchmarkTemplate($"p{index++}", identity, BenchmarkTemplate.ProbeRole, samples));
            }
        }

        return templates;
    }

    /// <summary>
    /// (c) One good still of the probe's person, then a long poor clip (15–30 frames, heavy down-scaling and
    /// blur) whose frames blend, more with every frame (up to 60 %), into an enrolled person's chip: the clip
    /// outnumbers the still and drifts towards someone else.
    /// </summary>
    public async Task<IReadOnlyList<BenchmarkTemplate>> SwampedAsync(CancellationToken cancellationToken)
    {
        var random = new Random(seed + 1);
        var templates = new List<BenchmarkTemplate>(await GalleryAsync(random, cancellationToken));
        var people = chips.Where(c => c.Person is not null).GroupBy(c => c.Person!).ToArray();
        var index = 0;
        foreach (var (identity, sources, count) in ProbeSources())
        {
            for (var p = 0; p < count; p++)
            {
                var samples = new List<SampleLine>();
                var still = sources[random.Next(sources.Count)].Image;
                samples.AddRange(await DegradeEachAsync([still], [[RandomDegradation(random, 0, 0.15)]], random, cancellationToken));
                var others = people.Where(g => g.Key != identity).ToArray();
                var other = others[random.Next(others.Length)].ToArray();
                var target = other[random.Next(other.Length)].Image;
                var clipChip = sources[random.Next(sources.Count)].Image;
                var frames = random.Next(15, 31);
                var images = Enumerable.Range(0, frames).Select(f => ChipDegrader.Blend(clipChip, target, 0.6 * f / (frames - 1))).ToArray();
                var scale = 0.8 + (0.1 * random.NextDouble());
                var degradations = images.Select(_ => new[]
                {
                    new Degradation(DegradationKind.DownScale, scale),
                    new Degradation(DegradationKind.Blur, 0.2 + (0.2 * random.NextDouble())),
                    new Degradation(DegradationKind.Noise, 0.1 + (0.1 * random.NextDouble())),
                }).ToArray();
                samples.AddRange(await DegradeEachAsync(images, degradations, random, cancellationToken));
                templates.Add(new BenchmarkTemplate($"p{index++}", identity, BenchmarkTemplate.ProbeRole, samples));
            }
        }

        return templates;
    }

    private async Task<IReadOnlyList<BenchmarkTemplate>> GalleryAsync(Random random, CancellationToken cancellationToken)
    {
        var gallery = new List<BenchmarkTemplate>();
        foreach (var person in chips.Where(c => c.Person is not null).GroupBy(c => c.Person!))
        {
            var images = person.Take(GalleryChips).Select(c => c.Image).ToArray();
            var degradations = images.Select(_ => new[] { RandomDegradation(random, 0, 0.3) }).ToArray();
            gallery.Add(new BenchmarkTemplate($"g-{person.Key}", person.Key, BenchmarkTemplate.GalleryRole, await DegradeEachAsync(images, degradations, random, cancellationToken)));
        }

        return gallery;
    }

    private IEnumerable<(string Identity, IReadOnlyList<RealChip> Sources, int Count)> ProbeSources()
    {
        foreach (var person in chips.Where(c => c.Person is not null).GroupBy(c => c.Person!))
        {
            yield return (person.Key, person.Skip(GalleryChips).ToArray(), MatedProbesPerPerson);
        }

        foreach (var chip in chips.Where(c => c.Person is null))
        {
            yield return (chip.Group, [chip], NonMatedProbesPerChip);
        }
    }

    private async Task<IReadOnlyList<SampleLine>> DegradeEachAsync(RgbImage[] images, Degradation[][] degradations, Random random, CancellationToken cancellationToken)
    {
        var degraded = new List<RgbImage>(images.Length);
        var scales = new List<double>(images.Length);
        for (var i = 0; i < images.Length; i++)
        {
            var image = images[i];
            var scale = 1.0;
            foreach (var degradation in degradations[i])
            {
                image = ChipDegrader.Apply(image, degradation, random);
                scale = Math.Min(scale, degradation.Scale);
            }

            degraded.Add(image);
            scales.Add(scale);
        }

        var made = await faces.EmbedAsync(degraded, scales, cancellationToken);
        return made.Select(f => new SampleLine(f.Embedding, f.Quality)).ToArray();
    }

    private static Degradation RandomDegradation(Random random, double min, double max) =>
        new(Kinds[random.Next(Kinds.Length)], min + ((max - min) * random.NextDouble()));
}
