using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Storage.Chunks;
using Vellum.Storage.Indexing;

namespace Vellum.Storage;

/// <summary>Removing a suffix of the ledger, as a Raft follower must when a new primary overwrites it.</summary>
public sealed partial class Ledger
{
    // The latest truncation (a sentinel before the first): reads and waits compare it with the
    // one they started after to learn whether a truncation ran meanwhile.
    private Truncation _latestTruncation = new(long.MaxValue);

    // True from the moment a truncation changes the ledger in memory until its files are durable.
    private bool _truncating;

    /// <summary>
    /// Removes every entry after <paramref name="seqno"/>; the next entry appended is
    /// <paramref name="seqno"/> + 1, in any view not before the view of entry <paramref name="seqno"/>.
    /// Completes once the removal is durable: from then on no crash brings a removed entry back.
    /// A crash before then reopens the ledger as it was, as truncated, or in between: always a
    /// prefix of the ledger as it was that keeps every entry up to <paramref name="seqno"/> that
    /// was durable before the call.
    /// </summary>
    /// <remarks>
    /// Waits for a flush in flight, then holds flushes off until the files are durable; appends
    /// and reads go on meanwhile, and an append that races the call may be removed with the
    /// suffix. A durability wait for a removed entry fails with <see cref="LedgerTruncatedException"/>.
    /// Costs, besides an fsync of the chunk cut: a directory fsync per chunk file removed, a read of
    /// the kept part of a closed chunk that becomes the open chunk again, and a checkpoint rewrite
    /// when the checkpoint covers removed entries. The ledger does not know what is committed:
    /// the caller must not truncate committed entries.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seqno"/> is negative or after <see cref="LastSeqno"/>.</exception>
    /// <exception cref="LedgerCorruptException">An entry the truncated ledger keeps is damaged; nothing was changed.</exception>
    /// <exception cref="LedgerFaultedException">A write failed part-way; the ledger must be reopened, and holds a prefix as above.</exception>
    public async Task TruncateAfterAsync(long seqno, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ThrowIfUnusable();
            CheckTruncationPoint(seqno);
            if (seqno == _lastSeqno && !_truncating)
            {
                return;
            }
        }

        // A flush in flight writes entries that may be removed: wait for it, and keep the next
        // one from writing until the files are truncated. Cancellation stops only this wait.
        await _flushMutex.WaitAsync(cancellationToken);
        try
        {
            TruncateSerialised(seqno);
        }
        finally
        {
            _flushMutex.Release();
        }
    }

    private void CheckTruncationPoint(long seqno)
    {
        if (seqno < 0 || seqno > _lastSeqno)
        {
            throw new ArgumentOutOfRangeException(nameof(seqno), seqno, $"The ledger holds seqnos 1 to {_lastSeqno}; it can be truncated after any of them, or after 0.");
        }
    }

    /// <summary>Runs under the flush mutex, so that the closed chunks and every entry up to <paramref name="seqno"/> stay as they are.</summary>
    private void TruncateSerialised(long seqno)
    {
        ClosedChunk? cutClosed;
        SignatureEntry? lastSignature;
        lock (_gate)
        {
            ThrowIfUnusable();
            CheckTruncationPoint(seqno);
            if (seqno == _lastSeqno)
            {
                return;
            }

            cutClosed = _closedChunks.Count > 0 && seqno < _closedChunks[^1].LastSeqno ? FindClosed(seqno + 1) : null;
            lastSignature = _lastSignature is { } last && last.Header.Id.Seqno <= seqno ? last : null;
        }

        // The reads the truncated ledger needs happen before it changes, without the lock.
        (ChunkWriter Writer, int LastBatch)? reopened = null;
        TruncationPlan plan;
        try
        {
            if (cutClosed is not null && cutClosed.FirstSeqno <= seqno)
            {
                reopened = cutClosed.Reopen(_options.Directory, seqno);
            }

            lastSignature ??= ReadLastSignature(seqno);
            var checkpoint = Checkpoint.Load(_fileSystem, _options.Directory, out _);
            lock (_gate)
            {
                ThrowIfUnusable();
                try
                {
                    plan = TruncateInMemory(seqno, cutClosed, reopened, lastSignature, checkpoint);
                }
                catch (Exception error)
                {
                    // Only a broken invariant gets here, with the ledger half truncated: stop it.
                    throw Fault(null, error);
                }
            }
        }
        catch
        {
            lock (_gate)
            {
                // The reopened chunk's lease is the ledger's once its writer is the open one.
                if (reopened is { } unused && !ReferenceEquals(_writer, unused.Writer))
                {
                    unused.Writer.FileLease?.Dispose();
                }
            }

            throw;
        }

        try
        {
            TruncateFiles(plan);
        }
        catch (Exception error)
        {
            throw Fault(null, error);
        }
        finally
        {
            lock (_gate)
            {
                _truncating = false;
            }
        }
    }

    private SignatureEntry? ReadLastSignature(long seqno) =>
        FindLastByKey(IndexKey.Signatures, seqno) is { } at ? EntryCodec.ReadSignature(ReadEntry(at)) : null;

    /// <summary>Makes the ledger in memory the truncated one, and says what the files need. Called under the lock.</summary>
    private TruncationPlan TruncateInMemory(long seqno, ClosedChunk? cutClosed, (ChunkWriter Writer, int LastBatch)? reopened, SignatureEntry? lastSignature, Checkpoint? checkpoint)
    {
        // First, while every kept entry is still where reads find it: cutting the tree restores
        // its right edge, whose lowest levels are recomputed from those entries.
        _tree.TruncateTo(seqno + 1);
        List<ChunkWriter> writers = [.. _closing, _writer];
        var plan = new TruncationPlan();
        if (cutClosed is null)
        {
            // The cut falls in a chunk still in memory: it becomes (or stays) the open chunk.
            var cut = writers.FindIndex(writer => writer.Contains(seqno + 1));
            Invariant.Check(cut >= 0, "an entry that is in no closed chunk is in a writer");
            var writer = writers[cut];
            var (dropped, cutsFile) = writer.TruncateAfter(seqno);
            _bufferedBytes -= dropped;
            plan.CutChunk = cutsFile ? (writer, writer.Buffer.WrittenLength) : null;
            plan.DroppedWriters.AddRange(writers.Skip(cut + 1));
            _closing.RemoveRange(cut, _closing.Count - cut);
            _writer = writer;
        }
        else
        {
            plan.DroppedWriters.AddRange(writers);
            _closing.Clear();
            var first = _closedChunks.LastIndexOf(cutClosed);
            var removed = _closedChunks[first..];
            _keyIndex.RemoveFrom(cutClosed.FirstSeqno, removed.SelectMany(chunk => chunk.Keys));
            _closedChunks.RemoveRange(first, removed.Count);
            if (reopened is { } continued)
            {
                // Records the chunk's writer adds must count as written by later batches than the kept ones.
                _nextBatch = RecordFrame.NextBatchAfter(continued.LastBatch, _nextBatch);
                plan.Reopened = (cutClosed.Path, continued.Writer, continued.Writer.Buffer.WrittenLength);
                plan.DroppedChunks.AddRange(removed.Skip(1));
                _writer = continued.Writer;
            }
            else
            {
                plan.DroppedChunks.AddRange(removed);
                _writer = ChunkWriter.New(_options.Directory, cutClosed.FirstSeqno);
            }
        }

        foreach (var dropped in plan.DroppedWriters)
        {
            _bufferedBytes -= dropped.Buffer.BufferedBytes;
        }

        _views.TruncateAfter(seqno);
        Volatile.Write(ref _lastSeqno, seqno);
        Volatile.Write(ref _lastView, _views.ViewAt(seqno));
        Volatile.Write(ref _lastSignature, lastSignature);
        Volatile.Write(ref _durableSeqno, Math.Min(_durableSeqno, seqno));
        plan.Checkpoint = checkpoint is { } found && found.TreeSize > seqno + 1 ? new Checkpoint(seqno + 1, _tree.Root) : null;
        var truncation = new Truncation(seqno);
        _latestTruncation.Link(truncation);
        Volatile.Write(ref _latestTruncation, truncation);
        _truncating = true;

        // Wake every waiter: waits for removed entries fail, and appends waiting for room find it.
        _nextFlush.TrySetResult();
        _nextFlush = NewFlushCompletion();
        return plan;
    }

    /// <summary>
    /// Brings the files to the truncated ledger in an order that leaves, at every step, files
    /// that recovery opens as a prefix of the ledger at least <c>seqno</c> long. Runs without the lock.
    /// </summary>
    private void TruncateFiles(TruncationPlan plan)
    {
        var directory = _options.Directory;
        if (plan.Checkpoint is { } checkpoint)
        {
            // First, so that no later step leaves a checkpoint ahead of the chunk files.
            checkpoint.Save(_fileSystem, directory);
            _fileSystem.SyncDirectory(directory);
        }

        // Newest first, each removal durable before the next, so that the chunks left always
        // run on from seqno 1 with no gap and at most the last one open.
        for (var i = plan.DroppedWriters.Count - 1; i >= 0; i--)
        {
            var dropped = plan.DroppedWriters[i];
            if (dropped.FileLease is { } lease)
            {
                dropped.FileLease = null;
                lease.Dispose();
                RemoveChunkFile(dropped.FirstSeqno, dropped.OpenPath);
            }
        }

        for (var i = plan.DroppedChunks.Count - 1; i >= 0; i--)
        {
            RemoveChunkFile(plan.DroppedChunks[i].FirstSeqno, plan.DroppedChunks[i].Path);
        }

        if (plan.Reopened is { } reopened)
        {
            // The chunk keeps its whole footer until its open name is durable: before that,
            // recovery finds a closed chunk; after, an open chunk with a footer, whose close it
            // finishes. Only then is the footer cut, leaving an open chunk of whole records.
            _fileSystem.Rename(reopened.ClosedPath, reopened.Writer.OpenPath);
            _fileSystem.SyncDirectory(directory);
            CutChunkFile(reopened.Writer, reopened.Length);
        }
        else if (plan.CutChunk is { } cut)
        {
            CutChunkFile(cut.Writer, cut.Length);
        }

        // Derived data: beyond the checkpoint, recovery recomputes it, so it is not synced.
        _nodes.ApplyCut();
    }

    private void RemoveChunkFile(long firstSeqno, string path)
    {
        _files.Evict(firstSeqno);
        _fileSystem.Delete(path);
        _fileSystem.SyncDirectory(_options.Directory);
    }

    private static void CutChunkFile(ChunkWriter writer, long length)
    {
        var file = writer.File!;
        file.SetLength(length);
        file.Sync();
    }

    /// <summary>What a truncation must do to the files once the ledger in memory is truncated.</summary>
    private sealed class TruncationPlan
    {
        /// <summary>Chunks after the cut that were still in memory, oldest first; their files, if any, are removed.</summary>
        public List<ChunkWriter> DroppedWriters { get; } = [];

        /// <summary>Closed chunks wholly after the cut, oldest first; their files are removed.</summary>
        public List<ClosedChunk> DroppedChunks { get; } = [];

        /// <summary>A closed chunk that the cut falls in: renamed open and cut to its kept records.</summary>
        public (string ClosedPath, ChunkWriter Writer, long Length)? Reopened { get; set; }

        /// <summary>The chunk in memory that the cut falls in, when its file holds records to drop.</summary>
        public (ChunkWriter Writer, long Length)? CutChunk { get; set; }

        /// <summary>The checkpoint to write first, when the one on disk covers removed entries.</summary>
        public Checkpoint? Checkpoint { get; set; }
    }

    /// <summary>One truncation, linked to the next, so that a reader or waiter can find every truncation since it began.</summary>
    private sealed class Truncation(long lastSeqnoKept)
    {
        private Truncation? _next;

        public long LastSeqnoKept { get; } = lastSeqnoKept;

        public Truncation? Next => Volatile.Read(ref _next);

        public void Link(Truncation next) => Volatile.Write(ref _next, next);

        /// <summary>The fewest entries any truncation after this one kept, or null when none ran.</summary>
        public long? LowestKeptSince()
        {
            long? lowest = null;
            for (var truncation = Next; truncation is not null; truncation = truncation.Next)
            {
                lowest = Math.Min(lowest ?? long.MaxValue, truncation.LastSeqnoKept);
            }

            return lowest;
        }
    }
}
