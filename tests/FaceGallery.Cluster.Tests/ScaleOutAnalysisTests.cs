using FaceGallery.LoadTests.Driving;
using FaceGallery.LoadTests.Reporting;

namespace FaceGallery.Cluster.Tests;

/// <summary>The add-silo report: the windows before the start and after Active, and the new silo's identities.</summary>
public sealed class ScaleOutAnalysisTests
{
    [Fact]
    public void Windows_are_split_at_the_start_and_at_Active_and_the_new_silo_is_found_by_its_address()
    {
        // 40 s: 100 req/s at 20 ms before the add at 20 s, then 150 req/s at 10 ms from 30 s on.
        var seconds = Enumerable.Range(0, 40).Select(s => Second(s, s < 20 ? 100 : s < 30 ? 120 : 150, s < 20 ? 20_000 : 10_000)).ToList();
        var cluster = Enumerable.Range(0, 40).Select(s => new ClusterSample(s + 0.5, Silos(s))).ToList();
        var m = new RunMeasurements(TimeSpan.FromSeconds(40), LoadRecorder.NewHistogram(2), new Dictionary<RequestKind, KindStats>(),
            seconds, new Dictionary<string, long>(), new Dictionary<string, long>(), [], cluster);
        ChaosEvent[] chaos = [new(20.0, "start silo-3"), new(28.6, "silo-3 active, taking requests", "observed")];

        var report = ScaleOutAnalysis.Analyse(chaos, m)!;

        Assert.Equal("127.0.0.1:3", report.AddedSilo);
        Assert.Equal(8.5, report.ActiveAfterS);           // first seen Active at 28.5 s
        Assert.Equal(11.5, report.FirstActivationAfterS); // first activation at 31.5 s
        Assert.Equal(8, report.AddedSiloActivations);
        Assert.Equal(48, report.AllActivations);
        Assert.Equal((3, 20, 100.0), (report.Before!.FromS, report.Before.ToS, report.Before.ThroughputRps));
        Assert.Equal((30, 40, 150.0), (report.After!.FromS, report.After.ToS, report.After.ThroughputRps));
        Assert.InRange(report.Before.LatencyMs.P50, 19.9, 20.1);
        Assert.InRange(report.After.LatencyMs.P50, 9.9, 10.1);
    }

    [Fact]
    public void Runs_without_an_added_silo_have_no_scale_out_section()
    {
        var m = new RunMeasurements(TimeSpan.FromSeconds(10), LoadRecorder.NewHistogram(2), new Dictionary<RequestKind, KindStats>(),
            [], new Dictionary<string, long>(), new Dictionary<string, long>(), [], [new ClusterSample(0.5, Silos(0))]);
        Assert.Null(ScaleOutAnalysis.Analyse([new(5.0, "SIGKILL silo-2")], m));
    }

    private static SecondBucket Second(int second, int ok, long latencyMicros)
    {
        var bucket = new SecondBucket(second) { Ok = ok };
        for (var i = 0; i < ok; i++)
        {
            bucket.Latency.RecordValue(latencyMicros);
        }

        return bucket;
    }

    private static Dictionary<string, SiloSeen> Silos(int second)
    {
        var silos = new Dictionary<string, SiloSeen>
        {
            ["127.0.0.1:1"] = new("Active", 20),
            ["127.0.0.1:2"] = new("Active", 20),
        };
        if (second >= 22)
        {
            silos["127.0.0.1:3"] = new(second >= 28 ? "Active" : "Joining", second >= 31 ? 8 : 0);
        }

        return silos;
    }
}
