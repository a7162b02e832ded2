using FaceGallery.Cli.Evaluation;

namespace FaceGallery.Evaluation.Tests;

public sealed class MetricsTests
{
    private static readonly float[] Impostors = [0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f, 0.0f];

    [Fact]
    public void Tar_is_read_at_the_roc_point_nearest_the_far()
    {
        float[] genuine = [0.95f, 0.85f, 0.75f, 0.65f];
        var points = VerificationMetrics.TarAtFars(genuine, Impostors, [0.1, 0.2, 0.5]);

        // FAR 0.1 = one impostor (0.9) accepted: threshold 0.9, one genuine above it.
        Assert.Equal(0.25, points[0].Tar, 6);
        Assert.Equal(0.1, points[0].Far, 6);
        Assert.Equal(0.5, points[1].Tar, 6);
        Assert.Equal(1.0, points[2].Tar, 6);
        Assert.All(points, p => Assert.True(p.Reachable));
    }

    [Fact]
    public void Far_below_one_impostor_pair_is_marked_unreachable_and_accepts_no_impostor()
    {
        float[] genuine = [0.95f, 0.85f];
        var point = Assert.Single(VerificationMetrics.TarAtFars(genuine, Impostors, [1e-3]));

        Assert.False(point.Reachable);
        Assert.Equal(0, point.Far);
        Assert.Equal(0.5, point.Tar, 6);
    }

    [Fact]
    public void Tied_impostor_scores_never_push_the_far_above_the_target()
    {
        float[] impostors = [0.5f, 0.5f, 0.5f, 0.1f];
        var point = Assert.Single(VerificationMetrics.TarAtFars([0.5f, 0.6f], impostors, [0.25]));

        Assert.Equal(0, point.Far);
        Assert.Equal(0.5, point.Tar, 6);
    }

    [Fact]
    public void Rank_k_counts_ties_against_the_mate()
    {
        ProbeScores[] probes =
        [
            new([0.9f, 0.1f, 0.2f], 0),  // rank 1
            new([0.5f, 0.7f, 0.6f], 0),  // rank 3
            new([0.5f, 0.5f, 0.1f], 1),  // tie: rank 2
            new([0.4f, 0.3f, 0.2f], null),
        ];

        Assert.Equal(1 / 3.0, IdentificationMetrics.RankK(probes, 1), 6);
        Assert.Equal(2 / 3.0, IdentificationMetrics.RankK(probes, 2), 6);
        Assert.Equal(1.0, IdentificationMetrics.RankK(probes, 3), 6);
    }

    [Fact]
    public void Fpir_and_fnir_follow_the_open_set_definitions()
    {
        ProbeScores[] probes =
        [
            new([0.9f, 0.1f], 0),        // mate top-1 at 0.9
            new([0.6f, 0.1f], 0),        // mate top-1 at 0.6
            new([0.3f, 0.8f], 0),        // mate not top-1
            new([0.7f, 0.2f], null),     // non-mated, top-1 0.7
            new([0.4f, 0.5f], null),     // non-mated, top-1 0.5
        ];

        Assert.Equal(0.5, IdentificationMetrics.Fpir(probes, 0.6), 6);
        Assert.Equal(2 / 3.0, IdentificationMetrics.Fnir(probes, 0.65), 6);
        Assert.Equal(1 / 3.0, IdentificationMetrics.Fnir(probes, 0.5), 6);

        var point = Assert.Single(IdentificationMetrics.TpirAtFpirs(probes, [0.5]));
        Assert.Equal(0.5, point.Fpir, 6);
        Assert.Equal(1 / 3.0, point.Tpir, 6);
    }
}
