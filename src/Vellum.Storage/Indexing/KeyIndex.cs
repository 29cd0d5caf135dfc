namespace Vellum.Storage.Indexing;

/// <summary>
/// For each index key, the closed chunks whose postings list it, in seqno order. A query visits
/// only chunks that hold the key, so its cost follows the result, not the ledger. Memory is one
/// reference per (key, chunk) pair. Callers serialise access.
/// </summary>
internal sealed class KeyIndex<TChunk>
    where TChunk : class
{
    private readonly Dictionary<byte[], List<(long First, long Last, TChunk Chunk)>> _chunksByKey = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], List<(long First, long Last, TChunk Chunk)>>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;

    public KeyIndex() => _bySpan = _chunksByKey.GetAlternateLookup<ReadOnlySpan<byte>>();

    public IEnumerable<byte[]> Keys => _chunksByKey.Keys;

    /// <summary>Adds a chunk after every chunk added before it.</summary>
    public void Add(TChunk chunk, long firstSeqno, long lastSeqno, IEnumerable<byte[]> keys)
    {
        foreach (var key in keys)
        {
            if (!_chunksByKey.TryGetValue(key, out var chunks))
            {
                chunks = [];
                _chunksByKey.Add(key, chunks);
            }

            Vellum.Core.Invariant.Check(chunks.Count == 0 || chunks[^1].Last < firstSeqno, "chunks are added in seqno order");
            chunks.Add((firstSeqno, lastSeqno, chunk));
        }
    }

    /// <summary>
    /// Forgets every chunk starting at or after <paramref name="firstSeqno"/>, given every key
    /// those chunks hold; costs what they hold, not what the index holds.
    /// </summary>
    public void RemoveFrom(long firstSeqno, IEnumerable<byte[]> keysOfRemovedChunks)
    {
        foreach (var key in keysOfRemovedChunks)
        {
            if (!_chunksByKey.TryGetValue(key, out var chunks))
            {
                continue;
            }

            var keep = chunks.Count;
            while (keep > 0 && chunks[keep - 1].First >= firstSeqno)
            {
                keep--;
            }

            chunks.RemoveRange(keep, chunks.Count - keep);
            if (keep == 0)
            {
                _chunksByKey.Remove(key);
            }
        }
    }

    /// <summary>
    /// The last (at most) <paramref name="count"/> chunks holding <paramref name="key"/> that start
    /// at or before <paramref name="toSeqno"/>, in order: a binary search, whatever the index holds.
    /// </summary>
    public List<TChunk> LastChunksFor(ReadOnlySpan<byte> key, long toSeqno, int count)
    {
        var found = new List<TChunk>(count);
        if (!_bySpan.TryGetValue(key, out var chunks))
        {
            return found;
        }

        // The first chunk that starts after toSeqno.
        int low = 0, high = chunks.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (chunks[middle].First <= toSeqno)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        for (var i = Math.Max(0, low - count); i < low; i++)
        {
            found.Add(chunks[i].Chunk);
        }

        return found;
    }

    /// <summary>The chunks holding <paramref name="key"/> that overlap [from, to], in order.</summary>
    public List<TChunk> ChunksFor(ReadOnlySpan<byte> key, long fromSeqno, long toSeqno)
    {
        var found = new List<TChunk>();
        if (!_bySpan.TryGetValue(key, out var chunks))
        {
            return found;
        }

        int low = 0, high = chunks.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (chunks[middle].Last < fromSeqno)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        for (var i = low; i < chunks.Count && chunks[i].First <= toSeqno; i++)
        {
            found.Add(chunks[i].Chunk);
        }

        return found;
    }
}
