using System.Numerics.Tensors;

namespace FaceGallery.Storage.Embedded;

/// <summary>
/// One tenant's descriptors as unit vectors in one contiguous buffer, searched exactly: cosine
/// similarity is then a dot product, computed with SIMD by TensorPrimitives row after row.
/// </summary>
internal sealed class DescriptorIndex(int dimension)
{
    private readonly Dictionary<string, int> slots = new(StringComparer.Ordinal);
    private float[] vectors = new float[dimension * 16];
    private string[] ids = new string[16];
    private int count;

    public int Count => count;

    public void Set(string identityId, ReadOnlySpan<float> descriptor)
    {
        if (!slots.TryGetValue(identityId, out var slot))
        {
            if (count == ids.Length)
            {
                Array.Resize(ref ids, ids.Length * 2);
                Array.Resize(ref vectors, vectors.Length * 2);
            }

            slot = count++;
            slots[identityId] = slot;
            ids[slot] = identityId;
        }

        var row = Row(slot);
        descriptor.CopyTo(row);
        TensorPrimitives.Divide(row, TensorPrimitives.Norm(row), row);
    }

    /// <summary>Moves the last row into the freed slot, so the buffer stays dense.</summary>
    public void Remove(string identityId)
    {
        if (!slots.Remove(identityId, out var slot))
        {
            return;
        }

        var last = --count;
        if (slot != last)
        {
            Row(last).CopyTo(Row(slot));
            ids[slot] = ids[last];
            slots[ids[slot]] = slot;
        }

        ids[last] = null!;
    }

    /// <summary>The k rows most similar to a unit probe, best first.</summary>
    public List<GalleryMatch> Search(ReadOnlySpan<float> unitProbe, int k)
    {
        var best = new PriorityQueue<int, float>(Math.Min(k, count) + 1);
        for (var i = 0; i < count; i++)
        {
            var score = TensorPrimitives.Dot(Row(i), unitProbe);
            if (best.Count < k)
            {
                best.Enqueue(i, score);
            }
            else if (best.TryPeek(out _, out var worst) && score > worst)
            {
                best.DequeueEnqueue(i, score);
            }
        }

        var matches = new List<GalleryMatch>(best.Count);
        while (best.TryDequeue(out var slot, out var score))
        {
            matches.Add(new GalleryMatch(ids[slot], score));
        }

        matches.Reverse();
        return matches;
    }

    private Span<float> Row(int slot) => vectors.AsSpan(slot * dimension, dimension);
}
