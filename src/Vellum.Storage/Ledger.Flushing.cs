using Vellum.Core;
using Vellum.Storage.Chunks;

namespace Vellum.Storage;

/// <summary>Group commit: one write and one fsync per file for everything appended since the last batch.</summary>
public sealed partial class Ledger
{
    private readonly SemaphoreSlim _flushMutex = new(1, 1);
    // Set when a flush is requested, reset by the flusher before it takes the batch. No spinning
    // before blocking: on a machine with few cores a spinning flusher takes CPU from the writers.
    private readonly ManualResetEventSlim _flushSignal = new(initialState: false, spinCount: 0);
    private readonly CancellationTokenSource _stopFlushing = new();
    private readonly Task? _flushLoop;
    private TaskCompletionSource _nextFlush = NewFlushCompletion();
    private FlushBatch? _inFlight;
    private bool _flushRequested;
    private int _flushDeferrals;
    private bool _flushDeferred;
    private long _flushRequests;
    private Exception? _fault;

    /// <summary>
    /// Writes and fsyncs everything appended so far. With background flushing it only waits for
    /// the flusher; without, it does the work on the calling thread.
    /// </summary>
    /// <exception cref="LedgerFaultedException">A write or fsync failed.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        long target;
        lock (_gate)
        {
            ThrowIfUnusable();
            target = _lastSeqno;
        }

        if (!_options.FlushInBackground)
        {
            FlushSerialised();
        }
        else if (target > 0)
        {
            RequestFlush();
            await WaitForDurableAsync(target, failIfTruncated: false, cancellationToken);
        }
    }

    /// <summary>
    /// Completes when seqnos up to <paramref name="seqno"/> are durable or the ledger faults: the
    /// batch in flight if it covers them, else the next batch. Called under the lock.
    /// </summary>
    private Task FlushCovering(long seqno) =>
        _inFlight is { } batch && seqno <= batch.TargetSeqno ? batch.Completion.Task : _nextFlush.Task;

    private static TaskCompletionSource NewFlushCompletion() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task StartFlushLoop() => Task.Factory.StartNew(FlushLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// Holds back the flushes appends would start, any caller's, until <see cref="EndFlushDeferral"/>,
    /// which starts one if any was held back. For a writer appending a run of entries that ends in a
    /// signature: an idle flusher would otherwise take the run's first entry alone, and the
    /// signature that commits the run would wait for a second fsync. Deferrals nest, each begun
    /// one ended once. A flush already requested still happens, and one needed for room in the
    /// write buffer, or by <see cref="FlushAsync"/>, is never held back.
    /// </summary>
    public void BeginFlushDeferral()
    {
        lock (_gate)
        {
            _flushDeferrals++;
        }
    }

    /// <summary>Ends a deferral begun by <see cref="BeginFlushDeferral"/>; the last to end starts the flush any held back.</summary>
    public void EndFlushDeferral()
    {
        lock (_gate)
        {
            Invariant.Check(_flushDeferrals > 0, "a flush deferral ends once");
            if (--_flushDeferrals > 0 || !_flushDeferred)
            {
                return;
            }

            _flushDeferred = false;
        }

        RequestFlush();
    }

    /// <summary>How many times the flusher was asked for a flush; read under the lock, for tests.</summary>
    internal long FlushRequests
    {
        get
        {
            lock (_gate)
            {
                return _flushRequests;
            }
        }
    }

    /// <summary>Asks the flusher for a flush; a <paramref name="deferrable"/> request (an append's) waits while a deferral is open.</summary>
    private void RequestFlush(bool deferrable = false)
    {
        // Already requested: the flusher has not yet taken the batch, which will include the
        // entries appended before this call (they were appended under the lock it takes).
        if (!_options.FlushInBackground || Volatile.Read(ref _flushRequested))
        {
            return;
        }

        // Released under the lock, so that it cannot follow DisposeAsync's disposal of the signal.
        lock (_gate)
        {
            if (_flushRequested || _disposed)
            {
                return;
            }

            if (deferrable && _flushDeferrals > 0)
            {
                _flushDeferred = true;
                return;
            }

            _flushRequested = true;
            _flushRequests++;
            _flushSignal.Set();
        }
    }

    private void FlushLoop()
    {
        // A dedicated thread: fsync blocks, and group commit wants the next batch to start the
        // moment the previous fsync returns, with everything appended meanwhile.
        while (true)
        {
            try
            {
                _flushSignal.Wait(_stopFlushing.Token);

                // Before the batch is taken, which clears the request: a later request sets it again.
                _flushSignal.Reset();
                if (FlushSerialised())
                {
                    Notify(Flushed, static handler => handler());
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (LedgerFaultedException)
            {
                // FlushOnce recorded the fault and failed every waiter; the ledger must be reopened.
                return;
            }
            catch (Exception error)
            {
                // A broken invariant outside a batch: stop, and fail the waiters rather than strand them.
                _ = Fault(null, error);
                return;
            }
        }
    }

    /// <summary>Flushes what is buffered, if anything; false when there was nothing to write.</summary>
    private bool FlushSerialised()
    {
        _flushMutex.Wait();
        try
        {
            return FlushOnce();
        }
        finally
        {
            _flushMutex.Release();
        }
    }

    private bool FlushOnce()
    {
        FlushBatch? batch;
        lock (_gate)
        {
            if (_fault is not null)
            {
                throw new LedgerFaultedException(_fault);
            }

            _flushRequested = false;
            batch = TakeBatch();
        }

        if (batch is null)
        {
            return false;
        }

        try
        {
            var closed = WriteBatch(batch);
            CompleteBatch(batch, closed);
        }
        catch (Exception error)
        {
            throw Fault(batch, error);
        }

        batch.Completion.TrySetResult();
        return true;
    }

    /// <summary>Stops the ledger after a failure: nothing more is reported durable, every waiter fails.</summary>
    private LedgerFaultedException Fault(FlushBatch? batch, Exception error)
    {
        var fault = new LedgerFaultedException(error);
        bool first;
        lock (_gate)
        {
            first = _fault is null;
            _fault ??= error;
            _nextFlush.TrySetException(fault);
        }

        batch?.Completion.TrySetException(fault);
        if (first)
        {
            Notify(Faulted, handler => handler(fault));
        }

        return fault;
    }

    private FlushBatch? TakeBatch()
    {
        if (_durableSeqno == _lastSeqno && _closing.Count == 0 && !_nodes.HasUnwritten)
        {
            return null;
        }

        var batch = new FlushBatch(_nextBatch++, _lastSeqno, _nextFlush);
        _nextFlush = NewFlushCompletion();
        _inFlight = batch;
        foreach (var writer in _closing)
        {
            batch.Add(writer, close: true);
        }

        batch.Add(_writer, close: false);
        batch.Nodes = _nodes.TakePending();
        batch.Checkpoint = _closing.Count > 0 ? _closing[^1].CloseCheckpoint : null;
        return batch;
    }

    /// <summary>The batch's I/O, without the lock: appends go on meanwhile.</summary>
    private List<(ChunkWriter, ClosedChunk)> WriteBatch(FlushBatch batch)
    {
        var syncDirectory = false;
        var closed = new List<(ChunkWriter, ClosedChunk)>();
        foreach (var (writer, offset, data, close) in batch.Chunks)
        {
            if (data.IsEmpty && !close)
            {
                continue;
            }

            writer.FileLease ??= CreateChunkFile(writer);
            var file = writer.File!;
            file.Write(data.Span, offset);
            if (close)
            {
                // Entries, footer, fsync, then the rename: a crash before the rename leaves an
                // open chunk with a whole footer, which recovery finishes closing.
                var footerOffset = offset + data.Length;
                file.Write(ChunkFooter.Encode(writer.Codec, writer.FirstSeqno, writer.LastSeqno, writer.EntryOffsets, writer.Postings, footerOffset, batch.Number), footerOffset);
                file.Sync();
                _fileSystem.Rename(writer.OpenPath, writer.ClosedPath);
                syncDirectory = true;
                closed.Add((writer, ClosedChunk.Load(_files, file, writer.ClosedPath, writer.FirstSeqno, writer.LastSeqno)));
            }
            else
            {
                file.Sync();
            }
        }

        _nodes.Write(batch.Nodes.Offset, batch.Nodes.Data);
        if (batch.Checkpoint is { } checkpoint)
        {
            _nodes.Sync();
            checkpoint.Save(_fileSystem, _options.Directory);
            syncDirectory = true;
        }

        if (syncDirectory)
        {
            _fileSystem.SyncDirectory(_options.Directory);
        }

        return closed;
    }

    private void CompleteBatch(FlushBatch batch, List<(ChunkWriter Writer, ClosedChunk Chunk)> closed)
    {
        lock (_gate)
        {
            foreach (var item in batch.Chunks)
            {
                item.Writer.Buffer.CompleteWrite();
            }

            _nodes.CompleteWrite();
            foreach (var (writer, chunk) in closed)
            {
                // Readers that found the writer hold leases of their own; the handle stays cached.
                writer.FileLease?.Dispose();
                _closing.Remove(writer);
                _closedChunks.Add(chunk);
                _keyIndex.Add(chunk, chunk.FirstSeqno, chunk.LastSeqno, chunk.Keys);
            }

            _bufferedBytes -= batch.Bytes;
            Volatile.Write(ref _durableSeqno, batch.TargetSeqno);
            _inFlight = null;
        }
    }

    private ChunkFileCache.Lease CreateChunkFile(ChunkWriter writer)
    {
        // The header is made durable, name included, before any entry follows it, so recovery
        // can tell a chunk whose creation was cut short from one that was damaged later.
        var file = _fileSystem.OpenOrCreate(writer.OpenPath);
        try
        {
            file.SetLength(0);
            file.Write(ChunkFile.EncodeHeader(writer.FirstSeqno, writer.Codec.ChunkVersion), 0);
            file.Sync();
            _fileSystem.SyncDirectory(_options.Directory);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        // A read that raced a truncation may have reopened a removed chunk file that had this
        // first seqno; that handle is stale.
        _files.Evict(writer.FirstSeqno);
        return _files.Adopt(writer.FirstSeqno, file);
    }

    private sealed class FlushBatch(long number, long targetSeqno, TaskCompletionSource completion)
    {
        /// <summary>The batch number stamped on every record this batch writes.</summary>
        public long Number { get; } = number;

        public long TargetSeqno { get; } = targetSeqno;

        public TaskCompletionSource Completion { get; } = completion;

        public List<(ChunkWriter Writer, long Offset, ReadOnlyMemory<byte> Data, bool Close)> Chunks { get; } = [];

        public (long Offset, ReadOnlyMemory<byte> Data) Nodes { get; set; }

        public Checkpoint? Checkpoint { get; set; }

        public long Bytes { get; private set; }

        public void Add(ChunkWriter writer, bool close)
        {
            var (offset, data) = writer.Buffer.TakePending();
            Chunks.Add((writer, offset, data, close));
            Bytes += data.Length;
        }
    }
}
