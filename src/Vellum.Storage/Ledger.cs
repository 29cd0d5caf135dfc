using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Merkle;
using Vellum.Storage.Chunks;
using Vellum.Storage.Files;
using Vellum.Storage.Indexing;

namespace Vellum.Storage;

/// <summary>
/// The ledger on disk: entries in checksummed, append-only chunk files; group-commit fsync that
/// reports exactly which seqnos are durable; the Merkle tree over every entry; indexes by
/// collection, tag and signature whose queries cost what they return.
/// </summary>
/// <remarks>
/// Appends are validated, hashed and buffered in memory by the caller's thread; a flusher writes
/// and fsyncs them in batches, so many appends share one fsync. Entries are read back from
/// memory until written, then from the files. Entry seqnos are assigned by the caller (the
/// sequencer) and must follow on; seqno 0 is the tree's zero leaf and holds no entry. A suffix
/// can be removed with <see cref="TruncateAfterAsync"/>, which a Raft follower needs.
/// </remarks>
public sealed partial class Ledger : IAsyncDisposable
{
    private readonly LedgerOptions _options;
    private readonly IStorageFileSystem _fileSystem;
    private readonly IDisposable _directoryLock;
    // Guards everything below. The last seqno, view, signature and durable seqno are also read
    // without it (each on its own), so that polling them never queues behind appends or reads.
    private readonly object _gate = new();
    private readonly ChunkFileCache _files;
    private readonly List<ClosedChunk> _closedChunks;
    private readonly KeyIndex<ClosedChunk> _keyIndex = new();
    private readonly List<ChunkWriter> _closing = [];
    private readonly FileMerkleNodeStore _nodes;
    private readonly MerkleTree _tree;
    private readonly ViewHistory _views;
    private ChunkWriter _writer;
    private long _lastSeqno;
    private long _lastView;
    private long _durableSeqno;
    private SignatureEntry? _lastSignature;
    private long _bufferedBytes;
    private long _nextBatch;
    private bool _disposed;

    private Ledger(LedgerOptions options, ChunkFileCache files, RecoveredLedger recovered)
    {
        _options = options;
        _fileSystem = options.FileSystem;
        _directoryLock = recovered.DirectoryLock;
        _files = files;
        _closedChunks = recovered.ClosedChunks;
        foreach (var chunk in _closedChunks)
        {
            _keyIndex.Add(chunk, chunk.FirstSeqno, chunk.LastSeqno, chunk.Keys);
        }

        _writer = recovered.Writer;
        _nodes = recovered.Nodes;
        _tree = recovered.Tree;
        recovered.NodeStore.LeavesAt = StoredLeaves;
        _lastSeqno = _durableSeqno = _tree.Size - 1;
        _lastView = recovered.LastView;
        _views = recovered.Views;
        _lastSignature = recovered.LastSignature;
        _nextBatch = recovered.NextBatch;
        if (!_writer.IsEmpty && _lastSignature?.Header.Id.Seqno == _writer.LastSeqno && _writer.EndOfRecords >= options.MaxChunkBytes)
        {
            // A crash interrupted this chunk's close (or came just before it); close it now.
            RequestClose();
        }

        _flushLoop = options.FlushInBackground ? StartFlushLoop() : null;
    }

    /// <summary>Opens (or creates) the ledger in <see cref="LedgerOptions.Directory"/>, repairing a torn tail.</summary>
    /// <exception cref="LedgerCorruptException">The files hold damage that repair must not hide.</exception>
    /// <exception cref="IOException">Another process has the ledger open, or the disk failed.</exception>
    public static Task<Ledger> OpenAsync(LedgerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var files = new ChunkFileCache(options.FileSystem, options.MaxOpenChunkFiles);
        Ledger ledger;
        try
        {
            ledger = new Ledger(options, files, new LedgerRecovery(options, files).Recover());
        }
        catch
        {
            files.Dispose();
            throw;
        }

        if (ledger._closing.Count > 0 || ledger._nodes.HasUnwritten)
        {
            ledger.RequestFlush();
        }

        return Task.FromResult(ledger);
    }

    /// <summary>The seqno of the last entry appended, or 0 when the ledger is empty.</summary>
    public long LastSeqno => Volatile.Read(ref _lastSeqno);

    /// <summary>The highest seqno whose entry, and every one before it, is on disk and fsynced.</summary>
    public long DurableSeqno => Volatile.Read(ref _durableSeqno);

    /// <summary>The view of the last entry appended, or 0 when the ledger is empty.</summary>
    public long LastView => Volatile.Read(ref _lastView);

    /// <summary>The most recent signature transaction, or null before the first.</summary>
    public SignatureEntry? LastSignature => Volatile.Read(ref _lastSignature);

    /// <summary>
    /// The bytes a writer may append between two signatures: a chunk closes only after a
    /// signature, so keeping unsigned runs under the chunk size keeps every open chunk within
    /// <see cref="LedgerOptions.MaxUnsignedChunkBytes"/>.
    /// </summary>
    public long MaxUnsignedRunBytes => Math.Min(_options.MaxChunkBytes, _options.MaxUnsignedChunkBytes / 2);

    /// <summary>
    /// The bytes a writer may append between two signatures when the run must not be split (a
    /// batch). It may pass <see cref="MaxUnsignedRunBytes"/>, which only keeps chunks near their
    /// size: an open chunk holds less than <see cref="LedgerOptions.MaxChunkBytes"/> after a
    /// signature (or it would have closed), so a run of this many bytes still ends before the
    /// chunk reaches <see cref="LedgerOptions.MaxUnsignedChunkBytes"/>, where it takes only a
    /// signature.
    /// </summary>
    public long MaxUnsplitRunBytes => Math.Max(MaxUnsignedRunBytes, _options.MaxUnsignedChunkBytes - _options.MaxChunkBytes);

    /// <summary>
    /// Appends one encoded entry (see <see cref="EntryCodec"/>) whose seqno is <see cref="LastSeqno"/> + 1.
    /// Completes once the entry is buffered and readable, usually at once; waits while more than
    /// <see cref="LedgerOptions.MaxPendingBytes"/> are unwritten. Use <see cref="WaitDurableAsync"/>
    /// to learn when it is durable.
    /// </summary>
    /// <exception cref="EntryFormatException">The bytes are not a well-formed entry.</exception>
    /// <exception cref="ArgumentException">The seqno does not follow on, the view went back, or a signature entry signs the wrong root or does not verify.</exception>
    /// <exception cref="LedgerFaultedException">An earlier write failed; the ledger must be reopened.</exception>
    public async ValueTask<long> AppendAsync(ReadOnlyMemory<byte> entry, CancellationToken cancellationToken = default)
    {
        // Wait for room first, so that nothing awaits between hashing the bytes and copying them.
        await WaitForCapacityAsync(cancellationToken);
        var header = EntryCodec.Validate(entry.Span);
        var signature = header.Kind == EntryKind.Signature ? EntryCodec.ReadSignature(entry.Span) : null;
        if (signature is not null && !signature.HasValidSignature())
        {
            throw new ArgumentException($"Signature entry {header.Id} does not verify over its root under its node certificate.", nameof(entry));
        }

        var leaf = header.Leaf(Sha256Hash.Of(entry.Span));
        lock (_gate)
        {
            ThrowIfUnusable();
            AppendLocked(entry.Span, header, leaf, signature);
        }

        RequestFlush(deferrable: true);
        return header.Id.Seqno;
    }

    private async ValueTask WaitForCapacityAsync(CancellationToken cancellationToken)
    {
        // The common case needs no lock: the append re-checks the ledger's state under it.
        if (Volatile.Read(ref _bufferedBytes) < _options.MaxPendingBytes)
        {
            return;
        }

        while (true)
        {
            Task progress;
            lock (_gate)
            {
                ThrowIfUnusable();
                if (_bufferedBytes < _options.MaxPendingBytes)
                {
                    return;
                }

                progress = FlushCovering(_lastSeqno);
            }

            if (!_options.FlushInBackground)
            {
                // Nobody else will flush: a single-threaded caller would wait for ever.
                FlushSerialised();
                continue;
            }

            RequestFlush();
            await progress.WaitAsync(cancellationToken);
        }
    }

    private void AppendLocked(ReadOnlySpan<byte> entry, in EntryHeader header, in Sha256Hash leaf, SignatureEntry? signature)
    {
        var id = header.Id;
        if (id.Seqno != _lastSeqno + 1)
        {
            throw new ArgumentException($"The ledger's next seqno is {_lastSeqno + 1}; entry {id} does not follow on.", nameof(entry));
        }

        if (id.View < _lastView)
        {
            throw new ArgumentException($"Views never go back: entry {id} follows an entry in view {_lastView}.", nameof(entry));
        }

        if (signature is not null && signature.Root != _tree.Root)
        {
            throw new ArgumentException($"Signature entry {id} signs root {signature.Root}, but the root over the entries before it is {_tree.Root}.", nameof(entry));
        }

        if (signature is null && _writer.EndOfRecords >= _options.MaxUnsignedChunkBytes)
        {
            throw new InvalidOperationException($"The open chunk holds {_writer.EndOfRecords} bytes without a signature; append a signature so that it can close.");
        }

        _bufferedBytes += _writer.Append(entry, header.Kind, id.Seqno, _nextBatch);
        _tree.Append(leaf);
        Volatile.Write(ref _lastSeqno, id.Seqno);
        Volatile.Write(ref _lastView, id.View);
        _views.Append(id.View, id.Seqno);
        if (signature is not null)
        {
            Volatile.Write(ref _lastSignature, signature);
            if (_writer.EndOfRecords >= _options.MaxChunkBytes)
            {
                RequestClose();
            }
        }
    }

    private void RequestClose()
    {
        _writer.CloseCheckpoint = new Checkpoint(_tree.Size, _tree.Root);
        _closing.Add(_writer);
        _writer = ChunkWriter.New(_options.Directory, _writer.LastSeqno + 1);
    }

    /// <summary>
    /// Completes once entry <paramref name="seqno"/> and every entry before it are fsynced. It
    /// starts no flush: a caller holding a flush deferral (<see cref="BeginFlushDeferral"/>) that
    /// waits here for entries the deferral held back waits for ever.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">No entry with that seqno was appended.</exception>
    /// <exception cref="LedgerFaultedException">A write failed before the entry became durable.</exception>
    /// <exception cref="LedgerTruncatedException">
    /// <see cref="TruncateAfterAsync"/> removed the entry while this waited, even if another entry
    /// has taken its seqno since.
    /// </exception>
    public Task WaitDurableAsync(long seqno, CancellationToken cancellationToken = default) =>
        WaitForDurableAsync(seqno, failIfTruncated: true, cancellationToken);

    /// <summary>
    /// Waits for <paramref name="seqno"/> to be durable. When a truncation removes it, either
    /// fails or (for <see cref="FlushAsync"/>, which wants whatever is there) waits for less.
    /// </summary>
    private async Task WaitForDurableAsync(long seqno, bool failIfTruncated, CancellationToken cancellationToken)
    {
        Truncation? startedAfter = null;
        while (true)
        {
            Task flushed;
            lock (_gate)
            {
                startedAfter ??= _latestTruncation;
                if (!failIfTruncated)
                {
                    seqno = Math.Min(seqno, _lastSeqno);
                }
                else if (startedAfter.LowestKeptSince() is { } kept && seqno > kept)
                {
                    throw new LedgerTruncatedException(seqno, kept);
                }

                if (seqno <= _durableSeqno)
                {
                    return;
                }

                ThrowIfUnusable();
                if (seqno > _lastSeqno)
                {
                    throw new ArgumentOutOfRangeException(nameof(seqno), seqno, $"The last entry appended is {_lastSeqno}.");
                }

                flushed = FlushCovering(seqno);
            }

            await flushed.WaitAsync(cancellationToken);
        }
    }

    private void ThrowIfUnusable()
    {
        if (_fault is not null)
        {
            throw new LedgerFaultedException(_fault);
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
    }
}
