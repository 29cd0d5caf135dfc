using Vellum.Core;
using Vellum.Storage.Chunks;

namespace Vellum.Storage;

/// <summary>Reading entries without holding the lock during I/O, consistently with truncations.</summary>
public sealed partial class Ledger
{
    private const int MaxRunEntries = 1024;

    /// <summary>Reads the stored bytes of entry <paramref name="seqno"/>, checked against their checksum.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No entry has that seqno.</exception>
    /// <exception cref="LedgerCorruptException">The stored entry is damaged.</exception>
    public byte[] ReadEntry(long seqno) => ReadConsistently(() => ReadEntryOnce(seqno));

    /// <summary>
    /// The Merkle leaves of <paramref name="count"/> seqnos from <paramref name="first"/>,
    /// recomputed from their stored entries (read as one run), for the node store's levels that
    /// are not stored. The tree asks under the lock, which the reads take again; no truncation
    /// can run meanwhile, so they are read once.
    /// </summary>
    private Sha256Hash[] StoredLeaves(long first, int count)
    {
        var leaves = new Sha256Hash[count];
        var fromEntry = first == 0 ? 1 : 0;
        var entries = ReadEntriesOnce([.. Enumerable.Range(fromEntry, count - fromEntry).Select(i => first + i)]);
        for (var i = fromEntry; i < count; i++)
        {
            leaves[i] = EntryLeaf.Of(entries[i - fromEntry]);
        }

        return leaves;
    }

    private byte[] ReadEntryOnce(long seqno)
    {
        ClosedChunk? closed = null;
        (ChunkFileCache.Lease Lease, string Path, long Offset, long EndOfRecords, EntryRecordCodec Codec)? written = null;
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

                written = (_files.Open(writer.FirstSeqno, writer.OpenPath), writer.OpenPath, recordOffset, writer.Buffer.WrittenLength, writer.Codec);
            }
        }

        // Written bytes change only when a truncation cuts them, which ReadConsistently notices,
        // so they are read without the lock.
        if (closed is not null)
        {
            return closed.ReadEntry(seqno);
        }

        var (lease, path, offset, endOfRecords, codec) = written!.Value;
        using (lease)
        {
            return ChunkFile.ReadEntry(lease.File, path, offset, endOfRecords, seqno, codec, out _);
        }
    }

    /// <summary>
    /// Reads the stored bytes of entries <paramref name="seqnos"/> (ascending), each checked as
    /// <see cref="ReadEntry"/> checks it. A run of consecutive seqnos in one chunk's file is read
    /// with one read of its records instead of one or two per entry.
    /// </summary>
    private List<byte[]> ReadEntriesOnce(List<long> seqnos)
    {
        var entries = new List<byte[]>(seqnos.Count);
        var i = 0;
        while (i < seqnos.Count)
        {
            var last = i;
            while (last + 1 < seqnos.Count && last - i + 1 < MaxRunEntries && seqnos[last + 1] == seqnos[last] + 1)
            {
                last++;
            }

            var read = last > i ? ReadRunOnce(seqnos[i], seqnos[last], entries) : 0;
            if (read == 0)
            {
                entries.Add(ReadEntryOnce(seqnos[i]));
                read = 1;
            }

            i += read;
        }

        return entries;
    }

    /// <summary>Reads entries from <paramref name="first"/> up to <paramref name="last"/> or the end of <paramref name="first"/>'s chunk, whichever comes first; returns how many, or 0 when they are not all in a file yet.</summary>
    private int ReadRunOnce(long first, long last, List<byte[]> into)
    {
        ClosedChunk? closed = null;
        (ChunkFileCache.Lease Lease, string Path, long[] Bounds, EntryRecordCodec Codec)? written = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (first < 1 || last > _lastSeqno)
            {
                return 0;
            }

            var writer = FindWriter(first);
            if (writer is null)
            {
                closed = FindClosed(first);
                last = Math.Min(last, closed.LastSeqno);
            }
            else
            {
                last = Math.Min(last, writer.LastSeqno);
                var bounds = new long[last - first + 2];
                for (var k = 0; k < bounds.Length - 1; k++)
                {
                    bounds[k] = writer.EntryOffsets[(int)(first - writer.FirstSeqno + k)];
                }

                bounds[^1] = last == writer.LastSeqno ? writer.Buffer.Length : writer.EntryOffsets[(int)(last - writer.FirstSeqno + 1)];
                if (bounds[^1] > writer.Buffer.WrittenLength)
                {
                    // Some of it is only in memory: read entry by entry.
                    return 0;
                }

                written = (_files.Open(writer.FirstSeqno, writer.OpenPath), writer.OpenPath, bounds, writer.Codec);
            }
        }

        // As for single reads: written bytes change only when a truncation cuts them, which
        // ReadConsistently notices, so they are read without the lock.
        if (closed is not null)
        {
            closed.ReadEntries(first, last, into);
        }
        else
        {
            var (lease, path, bounds, codec) = written!.Value;
            using (lease)
            {
                ChunkFile.ReadEntryRun(lease.File, path, bounds, first, codec, into);
            }
        }

        return (int)(last - first + 1);
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
