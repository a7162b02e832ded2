using FaceGallery.Testing;
using FaceGallery.SearchBench;

namespace FaceGallery.Storage.Tests;

/// <summary>
/// Keeps the search-at-scale benchmark (docs/benchmarks.md) working against the current schema: its bulk
/// load, index build and measurements on 2,000 identities. Asserts meaning, never speed.
/// </summary>
public sealed class SearchBenchSmokeTests
{
    [Fact]
    public async Task Search_bench_on_2000_clustered_identities_reaches_full_exact_recall_and_hnsw_recall_above_0_9()
    {
        var settings = new BenchSettings
        {
            Connection = TestPostgres.ServerConnectionString,
            EfSearch = [40],
            Probes = 50,
            ExactProbes = 5,
            Faces = 2,
            FacesInPostgresMax = 0,
        };
        var calibration = DlibCalibration.Load(Path.Combine(AppContext.BaseDirectory, "data", "dlib"));
        var identities = new ClusteredIdentities(calibration, settings.Seed);

        var result = await new SearchScaleBench(settings, identities, TextWriter.Null).RunAsync(2000, CancellationToken.None);

        Assert.NotNull(result.HnswBuild);
        Assert.True(result.IndexBytes > 0);
        Assert.Equal(1.0, result.PostgresExactRecall);
        Assert.True(result.Hnsw.Single().RecallAt10 >= 0.9, $"recall@10 {result.Hnsw.Single().RecallAt10}");
        // Probes are fresh faces of enrolled identities: nearly all must find their own identity first.
        Assert.True(result.DescriptorTop1 >= 0.9, $"top-1 {result.DescriptorTop1}");
    }

    [Fact]
    public void Synthetic_identities_match_the_real_dlib_cosine_distributions()
    {
        var calibration = DlibCalibration.Load(Path.Combine(AppContext.BaseDirectory, "data", "dlib"));
        var (same, different) = new ClusteredIdentities(calibration, 1).Describe(2000);

        Assert.InRange(same.Mean, calibration.SamePerson.Mean - 0.01, calibration.SamePerson.Mean + 0.01);
        Assert.InRange(different.Mean, calibration.DifferentPeople.Mean - 0.01, calibration.DifferentPeople.Mean + 0.01);
        Assert.InRange(different.StdDev, calibration.DifferentPeople.StdDev * 0.8, calibration.DifferentPeople.StdDev * 1.2);
    }
}
