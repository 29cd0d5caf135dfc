using Vellum.Core;
using Vellum.Core.Merkle;
using Vellum.Storage.Chunks;
using Vellum.Storage.Indexing;

namespace Vellum.Storage;

/// <summary>Indexed reads, Merkle roots and proofs, and shutting down.</summary>
public sealed partial class Ledger
{
    /// <summary>
    /// The entries listed under <paramref name="key"/> with seqnos in [<paramref name="fromSeqno"/>,
    /// <paramref name="toSeqno"/>], in seqno order, at most <paramref name="maxResults"/>. Visits only
    /// chunks that hold the key, so the cost follows the result, not the ledger. Each entry returned
    /// is checked to carry the key.
    /// </summary>
    /// <exception cref="LedgerCorruptException">The index or an entry is damaged.</exception>
    public IReadOnlyList<byte[]> ReadByKey(IndexKey key, long fromSeqno, long toSeqno, int maxResults)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxResults);
        return ReadConsistently(() => ReadByKeyOnce(key, fromSeqno, toSeqno, maxResults));
    }

    private List<byte[]> ReadByKeyOnce(IndexKey key, long fromSeqno, long toSeqno, int maxResults)
    {
        var seqnos = FindByKey(key, fromSeqno, toSeqno, maxResults);
        var entries = ReadEntriesOnce(seqnos);
        for (var i = 0; i < entries.Count; i++)
        {
            if (!EntryIndexKeys.Contains(entries[i], key.Encoded.Span))
            {
                throw new LedgerCorruptException($"the index lists entry {seqnos[i]} under {key}, but the entry does not carry it.");
            }
        }

        return entries;
    }

    /// <summary>
    /// The seqno of the last entry listed under <paramref name="key"/> at or before
    /// <paramref name="atOrBeforeSeqno"/>, or null when there is none. Searches the chunks holding
    /// the key from the newest back, so the cost follows one chunk's postings, not the ledger.
    /// </summary>
    /// <exception cref="LedgerCorruptException">The index is damaged.</exception>
    public long? FindLastByKey(IndexKey key, long atOrBeforeSeqno)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadConsistently(() => FindLastByKeyOnce(key, atOrBeforeSeqno));
    }

    /// <summary>
    /// The seqno of the last signature transaction at or before <paramref name="seqno"/>, or 0
    /// when there is none: <see cref="FindLastByKey"/> over <see cref="IndexKey.Signatures"/>,
    /// which reads the postings of at most two chunks.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seqno"/> is negative.</exception>
    /// <exception cref="LedgerCorruptException">The index is damaged.</exception>
    public long LastSignatureAtOrBefore(long seqno)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seqno);
        return FindLastByKey(IndexKey.Signatures, seqno) ?? 0;
    }

    /// <summary>
    /// The view of entry <paramref name="seqno"/>, or 0 for seqno 0. A binary search of the
    /// ledger's view history in memory (16 bytes per view change, rebuilt on open): O(log v) for
    /// v views, no I/O.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seqno"/> is negative or after <see cref="LastSeqno"/>.</exception>
    public long ViewAt(long seqno)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (seqno < 0 || seqno > _lastSeqno)
            {
                throw new ArgumentOutOfRangeException(nameof(seqno), seqno, $"The ledger holds seqnos 1 to {_lastSeqno}.");
            }

            return _views.ViewAt(seqno);
        }
    }

    private long? FindLastByKeyOnce(IndexKey key, long atOrBeforeSeqno)
    {
        var found = new List<long>();
        List<ClosedChunk> chunks;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            List<ChunkWriter> writers = [.. _closing, _writer];
            for (var i = writers.Count - 1; i >= 0; i--)
            {
                writers[i].Postings.Query(key.Encoded.Span, 1, atOrBeforeSeqno, int.MaxValue, found);
                if (found.Count > 0)
                {
                    return found[^1];
                }
            }

            // Of the chunks holding the key that start by the bound, only the last can lack
            // postings there (when it spans the bound), and then the one before has some.
            chunks = _keyIndex.LastChunksFor(key.Encoded.Span, atOrBeforeSeqno, 2);
        }

        for (var i = chunks.Count - 1; i >= 0; i--)
        {
            chunks[i].Query(key.Encoded.Span, 1, atOrBeforeSeqno, int.MaxValue, found);
            if (found.Count > 0)
            {
                return found[^1];
            }
        }

        return null;
    }

    /// <summary>The first signature transaction at or after <paramref name="seqno"/>, or null when none is yet appended.</summary>
    public Core.Entries.SignatureEntry? FindSignatureAtOrAfter(long seqno)
    {
        var found = ReadByKey(IndexKey.Signatures, seqno, long.MaxValue, 1);
        return found.Count == 0 ? null : Core.Entries.EntryCodec.ReadSignature(found[0]);
    }

    /// <summary>Every key of <paramref name="kind"/> that lists at least one entry, in stored byte order.</summary>
    public IReadOnlyList<IndexKey> Keys(IndexKeyKind kind)
    {
        lock (_gate)
        {
            return _keyIndex.Keys
                .Concat(_closing.SelectMany(writer => writer.Postings.Keys))
                .Concat(_writer.Postings.Keys)
                .Where(key => key[0] == (byte)kind)
                .Distinct(ByteKeyComparer.Instance)
                .Order(ByteKeyComparer.Instance)
                .Select(key => IndexKey.FromEncoded(key)!)
                .ToList();
        }
    }

    private List<long> FindByKey(IndexKey key, long fromSeqno, long toSeqno, int maxResults)
    {
        List<ClosedChunk> chunks;
        List<ChunkWriter> writers;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            chunks = _keyIndex.ChunksFor(key.Encoded.Span, fromSeqno, toSeqno);
            writers = [.. _closing, _writer];
        }

        // Closed chunks precede the writers in seqno order, and their bytes never change, so they
        // are read without the lock; a writer closed meanwhile keeps its (now frozen) postings.
        var found = new List<long>();
        foreach (var chunk in chunks)
        {
            if (found.Count >= maxResults)
            {
                return found;
            }

            chunk.Query(key.Encoded.Span, fromSeqno, toSeqno, maxResults, found);
        }

        lock (_gate)
        {
            foreach (var writer in writers)
            {
                writer.Postings.Query(key.Encoded.Span, fromSeqno, toSeqno, maxResults, found);
            }
        }

        return found;
    }

    /// <summary>The size of the Merkle tree: the zero leaf plus one leaf per entry.</summary>
    public long TreeSize => ReadTree(tree => tree.Size);

    /// <summary>The Merkle leaf of entry <paramref name="seqno"/>.</summary>
    public Sha256Hash LeafAt(long seqno) => ReadTree(tree => tree.Leaf(seqno));

    /// <summary>The Merkle root over leaves [0, <paramref name="treeSize"/>).</summary>
    public Sha256Hash RootAt(long treeSize) => ReadTree(tree => tree.RootAt(treeSize));

    /// <summary>The inclusion proof of entry <paramref name="seqno"/> in the tree of <paramref name="treeSize"/> leaves.</summary>
    public InclusionProof ProveInclusion(long seqno, long treeSize) => ReadTree(tree => tree.ProveInclusion(seqno, treeSize));

    /// <summary>The consistency proof between two tree sizes.</summary>
    public ConsistencyProof ProveConsistency(long oldTreeSize, long newTreeSize) => ReadTree(tree => tree.ProveConsistency(oldTreeSize, newTreeSize));

    private T ReadTree<T>(Func<MerkleTree, T> read)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return read(_tree);
        }
    }

    /// <summary>
    /// Writes and fsyncs what is buffered, then closes the files and releases the directory. A
    /// ledger that has faulted closes without writing: what was not durable then is lost, as
    /// <see cref="FlushAsync"/> and <see cref="DurableSeqno"/> already tell.
    /// </summary>
    /// <exception cref="LedgerFaultedException">The final write or fsync failed.</exception>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        try
        {
            _stopFlushing.Cancel();
            if (_flushLoop is not null)
            {
                await _flushLoop;
            }

            if (_fault is null)
            {
                FlushSerialised();
            }
        }
        finally
        {
            _closing.ForEach(writer => writer.FileLease?.Dispose());
            _writer.FileLease?.Dispose();
            _files.Dispose();
            _nodes.Dispose();
            _directoryLock.Dispose();
            _flushMutex.Dispose();
            _flushSignal.Dispose();
            _stopFlushing.Dispose();
        }
    }
}
