using Vellum.Core.Entries;

namespace Vellum.Storage.Indexing;

/// <summary>
/// The index of one chunk while it is being written: for each key, the seqnos (as offsets from
/// the chunk's first seqno) of its entries, in order. Bounded by the chunk's size.
/// </summary>
internal sealed class ChunkPostings
{
    private readonly Dictionary<byte[], List<int>> _postings = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], List<int>>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;

    public ChunkPostings(long firstSeqno)
    {
        FirstSeqno = firstSeqno;
        _bySpan = _postings.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public long FirstSeqno { get; }

    /// <summary>Adds the index keys of one validated entry.</summary>
    public void Add(ReadOnlySpan<byte> entry, EntryKind kind, long seqno)
    {
        var delta = checked((int)(seqno - FirstSeqno));
        foreach (var key in new EntryIndexKeys(entry, kind, EntryIndexKeys.ThreadScratch))
        {
            Post(key, delta);
        }
    }

    /// <summary>The seqnos of <paramref name="key"/> in this chunk within [from, to], at most <paramref name="limit"/>.</summary>
    public void Query(ReadOnlySpan<byte> key, long fromSeqno, long toSeqno, int limit, List<long> into)
    {
        if (!_bySpan.TryGetValue(key, out var deltas))
        {
            return;
        }

        var start = LowerBound(deltas, Math.Max(fromSeqno, FirstSeqno) - FirstSeqno);
        for (var i = start; i < deltas.Count && into.Count < limit; i++)
        {
            var seqno = FirstSeqno + deltas[i];
            if (seqno > toSeqno)
            {
                break;
            }

            into.Add(seqno);
        }
    }

    /// <summary>Drops every posting after <paramref name="seqno"/>, and the keys left with none.</summary>
    public void TruncateAfter(long seqno)
    {
        var maxDelta = seqno - FirstSeqno;
        var emptied = new List<byte[]>();
        foreach (var (key, deltas) in _postings)
        {
            // Deltas ascend, so the postings to drop are a tail.
            var keep = deltas.Count;
            while (keep > 0 && deltas[keep - 1] > maxDelta)
            {
                keep--;
            }

            deltas.RemoveRange(keep, deltas.Count - keep);
            if (keep == 0)
            {
                emptied.Add(key);
            }
        }

        foreach (var key in emptied)
        {
            _postings.Remove(key);
        }
    }

    /// <summary>The keys in stored (ordinal byte) order with their deltas.</summary>
    public IEnumerable<(byte[] Key, List<int> Deltas)> InKeyOrder() =>
        _postings.OrderBy(pair => pair.Key, ByteKeyComparer.Instance).Select(pair => (pair.Key, pair.Value));

    public IEnumerable<byte[]> Keys => _postings.Keys;

    private void Post(ReadOnlySpan<byte> key, int delta)
    {
        if (!_bySpan.TryGetValue(key, out var deltas))
        {
            deltas = [];
            _bySpan[key] = deltas;
        }

        deltas.Add(delta);
    }

    private static int LowerBound(List<int> deltas, long fromDelta)
    {
        if (fromDelta <= 0)
        {
            return 0;
        }

        int low = 0, high = deltas.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (deltas[middle] < fromDelta)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
