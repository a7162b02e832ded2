using System.Text.Json.Nodes;
using FaceGallery.Testing;

namespace FaceGallery.Cli.Tests;

/// <summary><c>facegallery embed</c>: JSON lines per file, clear failures with a non-zero exit.</summary>
public sealed class EmbedCommandTests
{
    private static string Photo(string name) => Path.Combine(RepoPaths.Root, "tests", "data", "dlib", "photos", name);

    private static string Chip(string person, int index) =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "data", "dlib", "johns", person)).Order(StringComparer.Ordinal).ElementAt(index);

    [Fact]
    public async Task Embed_writes_one_json_line_per_file_with_every_face()
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync("embed", Photo("2008_001322.jpg"), Photo("Tom_Cruise_avp_2014_4.jpg"));
        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var group = JsonNode.Parse(lines[0])!;
        Assert.EndsWith("2008_001322.jpg", (string?)group["file"], StringComparison.Ordinal);
        var faces = group["faces"]!.AsArray();
        Assert.True(faces.Count >= 2, $"{faces.Count} faces");
        foreach (var face in faces)
        {
            Assert.Equal(4, face!["box"]!.AsArray().Count);
            Assert.InRange((float)face["quality"]!, 0f, 1f);
            Assert.Equal(128, face["embedding"]!.AsArray().Count);
        }

        // Largest face first.
        var areas = faces.Select(f => (int)f!["box"]![2]! * (int)f["box"]![3]!).ToArray();
        Assert.Equal(areas.OrderDescending(), areas);
        Assert.Single(JsonNode.Parse(lines[1])!["faces"]!.AsArray());
    }

    [Fact]
    public async Task Aligned_chips_of_one_person_embed_within_dlibs_same_person_distance()
    {
        var (exit, stdout, stderr) = await CliProcess.RunAsync("embed", "--aligned", Chip("John_Simm", 0), Chip("John_Simm", 1), Chip("John_Salley", 0));
        Assert.True(exit == 0, stderr);
        var vectors = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!["faces"]![0]!["embedding"]!.AsArray().Select(v => (float)v!).ToArray()).ToArray();
        static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());
        Assert.True(Distance(vectors[0], vectors[1]) < 0.6);
        Assert.True(Distance(vectors[0], vectors[2]) > 0.6);
    }

    [Fact]
    public async Task A_bad_file_is_named_on_stderr_and_the_exit_code_is_not_zero()
    {
        var notAnImage = Path.GetTempFileName();
        await File.WriteAllTextAsync(notAnImage, "this is not an image");
        try
        {
            var (exit, stdout, stderr) = await CliProcess.RunAsync("embed", notAnImage, Photo("Tom_Cruise_avp_2014_4.jpg"), "/no/such/file.jpg");
            Assert.NotEqual(0, exit);
            Assert.Contains(notAnImage, stderr, StringComparison.Ordinal);
            Assert.Contains("unsupported_media", stderr, StringComparison.Ordinal);
            Assert.Contains("/no/such/file.jpg", stderr, StringComparison.Ordinal);
            // The good file in between is still embedded.
            Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(notAnImage);
        }
    }
}
