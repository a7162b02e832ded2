using FaceGallery.Inference.Imaging;

namespace FaceGallery.Cli.Evaluation;

/// <summary>One real aligned chip and who it shows (null when nobody labelled it).</summary>
public sealed record RealChip(string File, string Group, string? Person, RgbImage Image);

/// <summary>
/// The real chips in tests/data/dlib: `johns/PERSON/*.jpg` (5 labelled people × 11) and `chips/*.png`
/// (faces cut from dlib's example photos; unlabelled, each chip its own group; `bald_guys_*` are 24 faces
/// of only 4 people, so they can serve quality training but never as distinct identities).
/// </summary>
public static class RealChips
{
    public static IReadOnlyList<RealChip> Load(string dataDirectory)
    {
        var decoder = new ImageDecoder();
        var chips = new List<RealChip>();
        var johns = Path.Combine(dataDirectory, "johns");
        foreach (var person in Directory.GetDirectories(johns).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(person);
            foreach (var file in Directory.GetFiles(person, "*.jpg").Order(StringComparer.Ordinal))
            {
                chips.Add(new RealChip(Path.GetRelativePath(dataDirectory, file), name, name, decoder.Decode(File.ReadAllBytes(file))));
            }
        }

        foreach (var file in Directory.GetFiles(Path.Combine(dataDirectory, "chips"), "*.png").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            chips.Add(new RealChip(Path.GetRelativePath(dataDirectory, file), name, null, decoder.Decode(File.ReadAllBytes(file))));
        }

        return chips;
    }

    public static bool IsDistinctIdentity(RealChip chip) =>
        chip.Person is not null || !chip.Group.StartsWith("bald_guys", StringComparison.Ordinal);
}
