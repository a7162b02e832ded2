using System.Text.Json;
using FaceGallery.Inference.Aggregation;
using FaceGallery.Testing;
using Xunit.Abstractions;

namespace FaceGallery.Coreset.Tests;

/// <summary>
/// Meaning on real dlib descriptors (tests/data/dlib/johns.json: 5 people × 11 chips): two disjoint sets
/// of one person must describe that person better than any other person's set does.
/// </summary>
[Collection(CoresetModelCollection.Name)]
public sealed class RealFacesTests(CoresetModelFixture model, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Two_sets_of_one_person_are_closer_to_each_other_than_to_any_other_person()
    {
        var people = LoadJohns();
        Assert.Equal(5, people.Count);
        var random = new Random(3);
        var first = new Dictionary<string, float[]>();
        var second = new Dictionary<string, float[]>();
        foreach (var (person, faces) in people)
        {
            // Qualities vary so the coreset has something to choose by; the split is disjoint.
            var shuffled = faces.OrderBy(_ => random.Next()).Select(f => new SetMember(f, 0.3f + 0.7f * (float)random.NextDouble())).ToArray();
            first[person] = model.Aggregator.Aggregate(shuffled[..5]).Vector;
            second[person] = model.Aggregator.Aggregate(shuffled[5..]).Vector;
        }

        var worstMargin = double.PositiveInfinity;
        foreach (var person in people.Keys)
        {
            var genuine = FaceSets.Cosine(first[person], second[person]);
            var impostor = people.Keys.Where(p => p != person).Max(p => FaceSets.Cosine(first[person], second[p]));
            worstMargin = Math.Min(worstMargin, genuine - impostor);
            Assert.True(genuine > impostor, $"{person}: genuine {genuine:F3} ≤ best impostor {impostor:F3}");
        }

        output.WriteLine($"smallest genuine − impostor margin: {worstMargin:F3}");
    }

    private static Dictionary<string, List<float[]>> LoadJohns()
    {
        using var stream = File.OpenRead(Path.Combine(RepoPaths.Root, "tests", "data", "dlib", "johns.json"));
        var file = JsonSerializer.Deserialize<JohnsFile>(stream, JsonOptions)!;
        return file.Chips.GroupBy(c => c.Person).ToDictionary(g => g.Key, g => g.Select(c => c.Descriptor).ToList());
    }

    private sealed record JohnsFile(JohnsChip[] Chips);

    private sealed record JohnsChip(string File, string Person, float[] Descriptor);
}
