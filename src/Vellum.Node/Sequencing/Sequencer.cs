using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Entries;
using Vellum.Core.Identity;
using Vellum.Storage;

namespace Vellum.Node.Sequencing;

/// <summary>
/// The single writer of the ledger. Writes queue in a bounded channel; one loop gives each the
/// next seqno, derives its commit evidence and claims digest, appends it, and signs the tree when
/// the queue runs dry or the cadence says so. Every write waiting at that moment shares the
/// signature and the fsync that follows, and the commit tracker advances when that fsync ends.
/// </summary>
internal sealed partial class Sequencer : IAsyncDisposable
{
    private const int MaxQueuedWrites = 16 * 1024;
    private const int MaxWritesPerBatch = 1024;

    private readonly Ledger _ledger;
    private readonly NodeIdentity _node;
    private readonly CommitEvidenceDeriver _evidence;
    private readonly ClaimSecretDeriver _claimSecrets;
    private readonly SignatureCadence _cadence;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<PendingWrite> _queue;
    private readonly Task _loop;
    private byte[] _scratch = new byte[4096];
    private long _unsignedEntries;
    private long _unsignedBytes;
    private Exception? _fault;
    private long _firstUnsignedTimestamp;

    public Sequencer(Ledger ledger, NodeIdentity node, CommitEvidenceDeriver evidence, ClaimSecretDeriver claimSecrets, SignatureCadence cadence, TimeProvider time, ILogger logger)
    {
        _ledger = ledger;
        _node = node;
        _evidence = evidence;
        _claimSecrets = claimSecrets;
        _cadence = cadence;
        _time = time;
        _logger = logger;
        // Every run writes in a new view, as a Raft election would: an id answered for a write
        // that a crash then lost names a view that its seqno never gets again, so it can only be
        // unknown, never another write's.
        View = ledger.LastView + 1;
        var lastSignature = ledger.LastSignature?.Header.Id ?? default;
        Commits = new CommitTracker(lastSignature);
        _unsignedEntries = ledger.LastSeqno - lastSignature.Seqno;
        _firstUnsignedTimestamp = time.GetTimestamp();
        _queue = Channel.CreateBounded<PendingWrite>(new BoundedChannelOptions(MaxQueuedWrites) { SingleReader = true });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The view (term) this node writes in.</summary>
    public long View { get; }

    public CommitTracker Commits { get; }

    /// <summary>Set when the ledger failed under the sequencer; the node can no longer write.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Queues a validated write; completes with its transaction id once it is appended.</summary>
    /// <exception cref="NodeUnavailableException">The node is stopping or its ledger failed.</exception>
    public async ValueTask<TransactionId> AppendAsync(string collectionId, IReadOnlyList<string> tags, ReadOnlyMemory<byte> contentsUtf8, CancellationToken cancellationToken)
    {
        var write = new PendingWrite(collectionId, tags, contentsUtf8);
        try
        {
            await _queue.Writer.WriteAsync(write, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new NodeUnavailableException(Fault is null ? "The node is shutting down." : "The node's ledger failed; it accepts no writes.");
        }

        return await write.Task;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        try
        {
            if (_unsignedEntries > 0)
            {
                // Entries recovered after the last signature are durable; sign them so they commit.
                await SignAsync();
            }

            while (await reader.WaitToReadAsync())
            {
                for (var taken = 0; taken < MaxWritesPerBatch && reader.TryRead(out var write); taken++)
                {
                    await AppendWriteAsync(write);
                }

                if (_unsignedEntries > 0 && (reader.Count == 0 || SignatureDue()))
                {
                    await SignAsync();
                }
            }
        }
#pragma warning disable CA1031 // Whatever stops the loop must fail the node visibly, not leave writers waiting.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Fail(exception);
        }
        finally
        {
            // Only this loop reads the queue: once it stops, it fails what is left.
            var reason = Fault is null ? "The node is shutting down." : "The node's ledger failed; the write was not recorded.";
            while (reader.TryRead(out var write))
            {
                write.TrySetException(new NodeUnavailableException(reason, Fault ?? new OperationCanceledException()));
            }
        }
    }

    private bool SignatureDue()
        => _unsignedEntries >= _cadence.MaxUnsignedEntries || _time.GetElapsedTime(_firstUnsignedTimestamp) >= _cadence.MaxInterval;

    private async ValueTask AppendWriteAsync(PendingWrite write)
    {
        TransactionId id;
        int size;
        try
        {
            size = EntryCodec.GetWriteSize(write.CollectionId, write.Tags, write.ContentsUtf8.Length);
            if (_unsignedEntries > 0 && (SignatureDue() || _unsignedBytes + size > _ledger.MaxUnsignedRunBytes))
            {
                await SignAsync();
            }

            id = new TransactionId(View, _ledger.LastSeqno + 1);
            var collection = EntryText.CollectionId(write.CollectionId);
            Span<byte> claimSecret = stackalloc byte[LedgerEntryClaim.SecretKeyBytes];
            _claimSecrets.Derive(id, claimSecret);
            var header = new EntryHeader(
                EntryKind.Write,
                id,
                _evidence.DeriveDigest(id),
                LedgerEntryClaim.ComputeSingleClaimsDigest(claimSecret, collection, write.ContentsUtf8.Span));
            if (_scratch.Length < size)
            {
                _scratch = new byte[Math.Max(size, 2 * _scratch.Length)];
            }

            EntryCodec.EncodeWrite(_scratch.AsSpan(0, size), header, write.CollectionId, write.Tags, write.ContentsUtf8.Span);
            await _ledger.AppendAsync(_scratch.AsMemory(0, size));
        }
        catch (Exception exception) when (exception is EntryFormatException or ArgumentException)
        {
            // The handlers validate first, so this is a bug there; the ledger is unchanged.
            write.TrySetException(exception);
            return;
        }
        catch (Exception exception)
        {
            write.TrySetException(new NodeUnavailableException("The node's ledger failed; the write was not recorded.", exception));
            throw;
        }

        if (_unsignedEntries++ == 0)
        {
            _firstUnsignedTimestamp = _time.GetTimestamp();
        }

        _unsignedBytes += size;

        write.TrySetResult(id);
    }

    private async ValueTask SignAsync()
    {
        var id = new TransactionId(View, _ledger.LastSeqno + 1);
        var root = _ledger.RootAt(_ledger.TreeSize);
        var header = new EntryHeader(EntryKind.Signature, id, _evidence.DeriveDigest(id), Sha256Hash.Zero);
        var entry = EntryCodec.EncodeSignature(header, root, _node.SignRoot(root), _node.Certificate.RawData);
        await _ledger.AppendAsync(entry);
        _unsignedEntries = 0;
        _unsignedBytes = 0;
        _ = CommitWhenDurableAsync(id);
    }

    private async Task CommitWhenDurableAsync(TransactionId signature)
    {
        try
        {
            await _ledger.WaitDurableAsync(signature.Seqno);
            Commits.Advance(signature);
        }
        catch (Exception exception) when (exception is LedgerFaultedException or IOException or ObjectDisposedException)
        {
            Fail(exception);
        }
    }

    private void Fail(Exception exception)
    {
        if (Interlocked.CompareExchange(ref _fault, exception, null) is not null)
        {
            return;
        }

        LogLedgerFailed(_logger, exception);
        _queue.Writer.TryComplete();
        Commits.Fail(new NodeUnavailableException("The node's ledger failed; nothing more commits.", exception));
    }

    /// <summary>Stops taking writes, appends and signs those queued, and waits until they are durable.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        if (Fault is null && _ledger.LastSeqno > 0)
        {
            try
            {
                await _ledger.WaitDurableAsync(_ledger.LastSeqno);
                if (_ledger.LastSignature is { } last)
                {
                    Commits.Advance(last.Header.Id);
                }
            }
            catch (Exception exception) when (exception is LedgerFaultedException or IOException)
            {
                Fail(exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The ledger failed; the node accepts no more writes and must be restarted.")]
    private static partial void LogLedgerFailed(ILogger logger, Exception exception);
}
