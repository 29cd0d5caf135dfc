using Vellum.Core;
using Vellum.Storage.Chunks;

namespace Vellum.Storage;

/// <summary>Reading entries without holding the lock during I/O, consistently with truncations.</summary>
public sealed partial class Ledger
{
    /// <summary>Reads the stored bytes of entry <paramref name="seqno"/>, checked against their checksum.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No entry has that seqno.</exception>
    /// <exception cref="LedgerCorruptException">The stored entry is damaged.</exception>
    public byte[] ReadEntry(long seqno) => ReadConsistently(() => ReadEntryOnce(seqno));

    /// <summary>
    /// The Merkle leaf of seqno <paramref name="seqno"/>, recomputed from its stored entry, for
    /// the node store's levels that are not stored. The tree reads it under the lock, which a
    /// read of the entry takes again.
    /// </summary>
    private Sha256Hash StoredLeaf(long seqno) => seqno == 0 ? Sha256Hash.Zero : EntryLeaf.Of(ReadEntry(seqno));

    private byte[] ReadEntryOnce(long seqno)
    {
        ClosedChunk? closed = null;
        (ChunkFileCache.Lease Lease, string Path, long Offset, long EndOfRecords)? written = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (seqno < 1 || seqno > _lastSeqno)
            {
                throw new ArgumentOutOfRangeException(nameof(seqno), seqno, $"The ledger holds seqnos 1 to {_lastSeqno}.");
            }

            var writer = FindWriter(seqno);
            if (writer is null)
            {
                closed = FindClosed(seqno);
            }
            else
            {
                var buffered = writer.TryReadBuffered(seqno, out var recordOffset);
                if (buffered is not null)
                {
                    return buffered;
                }

                written = (_files.Open(writer.FirstSeqno, writer.OpenPath), writer.OpenPath, recordOffset, writer.Buffer.WrittenLength);
            }
        }

        // Written bytes change only when a truncation cuts them, which ReadConsistently notices,
        // so they are read without the lock.
        if (closed is not null)
        {
            return closed.ReadEntry(seqno);
        }

        var (lease, path, offset, endOfRecords) = written!.Value;
        using (lease)
        {
            return ChunkFile.ReadEntry(lease.File, path, offset, endOfRecords, seqno);
        }
    }

    private ChunkWriter? FindWriter(long seqno)
    {
        if (_writer.Contains(seqno))
        {
            return _writer;
        }

        foreach (var closing in _closing)
        {
            if (closing.Contains(seqno))
            {
                return closing;
            }
        }

        return null;
    }

    private ClosedChunk FindClosed(long seqno)
    {
        int low = 0, high = _closedChunks.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var chunk = _closedChunks[middle];
            if (seqno < chunk.FirstSeqno)
            {
                high = middle - 1;
            }
            else if (seqno > chunk.LastSeqno)
            {
                low = middle + 1;
            }
            else
            {
                return chunk;
            }
        }

        throw new InvariantViolationException($"Invariant violated: seqno {seqno} is below the last seqno but in no chunk.");
    }

    /// <summary>
    /// Runs a read that does its I/O without the lock until no truncation ran beside it. A
    /// truncation can cut or remove a file under such a read, which then fails (a record cut
    /// short, a file gone) or mixes entries from before and after; it is simply run again.
    /// Failures with no truncation beside them are real and are thrown.
    /// </summary>
    private T ReadConsistently<T>(Func<T> read)
    {
        while (true)
        {
            var startedAfter = Volatile.Read(ref _latestTruncation);
            try
            {
                var result = read();
                if (startedAfter.Next is null)
                {
                    return result;
                }
            }
            catch (Exception error) when (error is IOException or ArgumentOutOfRangeException && startedAfter.Next is not null)
            {
                // The files changed under the read; read again from the truncated ledger.
            }
        }
    }
}
