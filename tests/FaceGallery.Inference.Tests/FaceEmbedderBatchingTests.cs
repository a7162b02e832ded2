using FaceGallery.Inference.Faces;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace FaceGallery.Inference.Tests;

[Collection(EmbedderCollection.Name)]
public sealed class FaceEmbedderBatchingTests(EmbedderFixture fixture, ITestOutputHelper output)
{
    private static readonly AlignedFaceChip[] Chips =
        DlibReference.Johns().Take(20).Select(c => new AlignedFaceChip(DlibReference.LoadRgb(c.File))).ToArray();

    [Fact]
    public async Task Concurrent_callers_are_gathered_into_batches_and_get_the_vectors_of_single_runs()
    {
        await using var embedder = CreateEmbedder(maxBatchSize: 8, TimeSpan.FromMilliseconds(50));
        var singles = Chips.Select(c => embedder.EmbedBatch([c])[0]).ToArray();
        var before = embedder.Statistics;

        var batched = await Task.WhenAll(Chips.Select(c => Task.Run(() => embedder.EmbedAsync(c, CancellationToken.None))));

        var stats = embedder.Statistics;
        output.WriteLine($"{stats.Chips - before.Chips} chips in {stats.Batches - before.Batches} runs, largest {stats.LargestBatch}");
        Assert.InRange(stats.LargestBatch, 2, 8);
        Assert.True(stats.Batches - before.Batches < Chips.Length, "no two callers shared a run");
        var worst = singles.Zip(batched, (a, b) => DlibParityTests.MaxAbsDifference(a, b)).Max();
        output.WriteLine($"max |batched - single| = {worst:E2}");
        Assert.InRange(worst, 0f, 1e-5f);
    }

    [Fact]
    public void One_explicit_batch_gives_the_vectors_of_single_runs()
    {
        var embedder = fixture.Embedder;
        var singles = Chips.Select(c => embedder.EmbedBatch([c])[0]).ToArray();

        var batch = embedder.EmbedBatch(Chips);

        var worst = singles.Zip(batch, (a, b) => DlibParityTests.MaxAbsDifference(a, b)).Max();
        output.WriteLine($"batch of {Chips.Length}: max |batch - single| = {worst:E2}");
        Assert.InRange(worst, 0f, 1e-5f);
    }

    [Fact]
    public async Task A_list_of_chips_comes_back_in_order()
    {
        var expected = fixture.Embedder.EmbedBatch(Chips);

        var actual = await fixture.Embedder.EmbedAsync(Chips, CancellationToken.None);

        Assert.Equal(Chips.Length, actual.Length);
        for (var i = 0; i < Chips.Length; i++)
        {
            Assert.InRange(DlibParityTests.MaxAbsDifference(expected[i], actual[i]), 0f, 1e-5f);
        }
    }

    [Fact]
    public async Task A_cancelled_caller_is_cancelled_and_the_others_still_get_their_vectors()
    {
        await using var embedder = CreateEmbedder(maxBatchSize: 4, TimeSpan.FromMilliseconds(200));
        using var cancelled = new CancellationTokenSource();

        var kept = embedder.EmbedAsync(Chips[0], CancellationToken.None);
        var dropped = embedder.EmbedAsync(Chips[1], cancelled.Token);
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dropped);
        Assert.Equal(128, (await kept).Length);
    }

    [Fact]
    public async Task A_disposed_embedder_finishes_queued_chips_and_refuses_new_ones()
    {
        var embedder = CreateEmbedder(maxBatchSize: 8, TimeSpan.FromMilliseconds(100));
        var queued = embedder.EmbedAsync(Chips[0], CancellationToken.None);

        await embedder.DisposeAsync();

        Assert.Equal(128, (await queued).Length);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => embedder.EmbedAsync(Chips[0], CancellationToken.None));
    }

    [Fact]
    public void A_chip_of_the_wrong_size_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new AlignedFaceChip(new byte[149 * 150 * 3]));
        Assert.Throws<ArgumentException>(() => fixture.Embedder.EmbedBatch([default]));
    }

    private FaceEmbedder CreateEmbedder(int maxBatchSize, TimeSpan maxBatchDelay) =>
        new(fixture.Sessions,
            Options.Create(new FaceEmbedderOptions { MaxBatchSize = maxBatchSize, MaxBatchDelay = maxBatchDelay }),
            NullLogger<FaceEmbedder>.Instance);
}
