using FaceGallery.Inference.Aggregation;

namespace FaceGallery.Coreset.Tests;

/// <summary>What a set aggregator owes its callers whatever its weights: the rules of FaceCoresetNet on sets.</summary>
[Collection(CoresetModelCollection.Name)]
public sealed class SetRulesTests(CoresetModelFixture model)
{
    [Fact]
    public void Id_names_the_model_version()
    {
        Assert.Equal("facecoresetnet-dlib128-v1", model.Aggregator.Id);
        Assert.Equal(FaceSets.Dimension, model.Aggregator.Dimension);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(30)]
    public void Permuting_the_faces_changes_neither_descriptor_nor_chosen_faces(int faces)
    {
        var members = FaceSets.Random(seed: 42 + faces, faces);
        var permutation = Enumerable.Range(0, faces).OrderBy(_ => Random.Shared.Next()).ToArray();
        var permuted = permutation.Select(i => members[i]).ToArray();

        var original = model.Aggregator.Aggregate(members);
        var shuffled = model.Aggregator.Aggregate(permuted);

        Assert.True(FaceSets.MaxAbsDifference(original.Vector, shuffled.Vector.Select(v => (double)v).ToArray()) < 1e-6);
        // The same faces in the same pick order, named by their new positions.
        Assert.Equal(original.Coreset, shuffled.Coreset.Select(i => permutation[i]).ToArray());
    }

    [Fact]
    public void Tied_qualities_give_the_same_descriptor_and_faces_whatever_the_order()
    {
        // 40 faces sharing four quality levels: the best face and later picks are ties the model
        // alone would break by position, i.e. by the order samples were stored in.
        var members = FaceSets.Random(seed: 9, 40).Select((m, i) => m with { Quality = 0.4f + (0.1f * (i % 4)) }).ToArray();
        var reversed = members.Reverse().ToArray();

        var forward = model.Aggregator.Aggregate(members);
        var backward = model.Aggregator.Aggregate(reversed);

        Assert.True(FaceSets.MaxAbsDifference(forward.Vector, backward.Vector.Select(v => (double)v).ToArray()) < 1e-6);
        Assert.Equal(forward.Coreset, backward.Coreset.Select(i => members.Length - 1 - i).ToArray());
    }

    [Fact]
    public void A_single_face_gives_its_own_normalised_embedding()
    {
        var member = FaceSets.Random(seed: 7, 1)[0];
        var result = model.Aggregator.Aggregate([member]);

        var expected = VectorMath.Normalized(member.Embedding.Span);
        Assert.Equal([0], result.Coreset);
        Assert.True(FaceSets.MaxAbsDifference(result.Vector, expected.Select(v => (double)v).ToArray()) < 1e-6);
    }

    [Fact]
    public void Two_faces_give_a_coreset_of_both_best_first()
    {
        var members = FaceSets.Random(seed: 8, 2);
        var best = members[0].Quality >= members[1].Quality ? 0 : 1;

        var result = model.Aggregator.Aggregate(members);

        Assert.Equal([best, 1 - best], result.Coreset);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(50)]
    public void Identical_faces_pick_distinct_members_and_agree_whatever_their_number(int copies)
    {
        var face = FaceSets.Random(seed: 9, 1)[0] with { Quality = 0.7f };
        var members = Enumerable.Repeat(face, copies).ToArray();
        var three = model.Aggregator.Aggregate(Enumerable.Repeat(face, 3).ToArray());

        var result = model.Aggregator.Aggregate(members);

        // Which copy is picked is down to float rounding of cos ≈ 1; that no copy is counted twice is not.
        Assert.Equal(Math.Min(3, copies), result.Coreset.Distinct().Count());
        Assert.All(result.Coreset, i => Assert.InRange(i, 0, copies - 1));
        Assert.All(result.Vector, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1.0, FaceSets.Norm(result.Vector), 5);
        // Attention over identical faces is the same whatever their count: one well-defined descriptor.
        Assert.True(FaceSets.MaxAbsDifference(result.Vector, three.Vector.Select(v => (double)v).ToArray()) < 1e-5);
    }

    [Fact]
    public void The_first_coreset_member_is_the_highest_quality_face()
    {
        for (var seed = 0; seed < 20; seed++)
        {
            var members = FaceSets.Random(seed: 300 + seed, 25);
            var best = Array.IndexOf(members, members.MaxBy(m => m.Quality));

            var result = model.Aggregator.Aggregate(members);

            Assert.Equal(best, result.Coreset[0]);
            Assert.Equal(3, result.Coreset.Distinct().Count());
        }
    }

    [Fact]
    public void Qualities_of_zero_and_one_give_finite_unit_descriptors_matching_the_reference()
    {
        var members = FaceSets.Random(seed: 11, 9);
        members[0] = members[0] with { Quality = 1f };
        for (var i = 1; i < 5; i++)
        {
            members[i] = members[i] with { Quality = 0f };
        }

        var result = model.Aggregator.Aggregate(members);
        var reference = model.Reference.Aggregate(members);

        Assert.Equal(0, result.Coreset[0]);
        Assert.Equal(1.0, FaceSets.Norm(result.Vector), 5);
        Assert.Equal(reference.Coreset, result.Coreset);
        Assert.True(FaceSets.MaxAbsDifference(result.Vector, reference.Descriptor) <= 1e-5);
    }

    [Fact]
    public void A_set_whose_qualities_are_all_zero_reads_as_all_equal()
    {
        var members = FaceSets.Random(seed: 12, 6);
        var zeros = members.Select(m => m with { Quality = 0f }).ToArray();
        var ones = members.Select(m => m with { Quality = 1f }).ToArray();
        var other = FaceSets.Random(seed: 13, 6).Select(m => m with { Quality = 0f }).ToArray();

        var fromZeros = model.Aggregator.Aggregate(zeros);
        var fromOnes = model.Aggregator.Aggregate(ones);
        var fromOther = model.Aggregator.Aggregate(other);

        Assert.True(FaceSets.MaxAbsDifference(fromZeros.Vector, fromOnes.Vector.Select(v => (double)v).ToArray()) < 1e-6);
        // Two unrelated zero-quality sets must not collapse onto one descriptor.
        Assert.True(FaceSets.Cosine(fromZeros.Vector, fromOther.Vector) < 0.999);
    }

    [Fact]
    public void Ten_thousand_faces_run()
    {
        var members = FaceSets.Random(seed: 14, 10_000);
        var best = Array.IndexOf(members, members.MaxBy(m => m.Quality));

        var result = model.Aggregator.Aggregate(members);

        Assert.Equal(1.0, FaceSets.Norm(result.Vector), 5);
        Assert.Equal(3, result.Coreset.Distinct().Count());
        Assert.Equal(best, result.Coreset[0]);
        Assert.All(result.Coreset, i => Assert.InRange(i, 0, members.Length - 1));
    }

    [Fact]
    public async Task Concurrent_callers_get_the_answers_of_sequential_calls()
    {
        var sets = Enumerable.Range(0, 32).Select(s => FaceSets.Random(seed: 500 + s, 1 + s % 17)).ToArray();
        var sequential = sets.Select(s => model.Aggregator.Aggregate(s)).ToArray();

        var concurrent = await Task.WhenAll(sets.Select(s => Task.Run(() => model.Aggregator.AggregateAsync(s, CancellationToken.None).AsTask())));

        for (var i = 0; i < sets.Length; i++)
        {
            Assert.Equal(sequential[i].Vector, concurrent[i].Vector);
            Assert.Equal(sequential[i].Coreset, concurrent[i].Coreset);
        }
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        var members = FaceSets.Random(seed: 15, 3);

        Assert.ThrowsAny<ArgumentException>(() => model.Aggregator.Aggregate([]));
        Assert.Throws<ArgumentException>(() => model.Aggregator.Aggregate([new SetMember(new float[64], 0.5f)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Aggregator.Aggregate([members[0] with { Quality = 1.5f }]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Aggregator.Aggregate([members[0] with { Quality = float.NaN }]));
    }

    [Fact]
    public async Task A_cancelled_call_does_not_run()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => model.Aggregator.AggregateAsync(FaceSets.Random(seed: 16, 3), cancelled.Token).AsTask());
    }
}
