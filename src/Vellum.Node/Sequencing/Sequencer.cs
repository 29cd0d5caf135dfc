using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vellum.Consensus;
using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Encryption;
using Vellum.Core.Entries;
using Vellum.Core.Identity;
using Vellum.Node.Replication;
using Vellum.Storage;

namespace Vellum.Node.Sequencing;

/// <summary>
/// The primary's single writer. Writes queue in a bounded channel; one loop gives each the next
/// seqno in the current view (the consensus term), derives its commit evidence and claims digest,
/// and proposes it to consensus, which appends it to the ledger; it signs the tree when the queue
/// runs dry and a writer waits for commit, when the cadence says so, and first thing in a new term.
/// Every write waiting at that moment shares the signature and the fsync that follows; commit comes
/// from consensus. Writes nobody waits for are signed within the cadence's interval. A batch
/// is one queue item: its writes get consecutive transaction ids in one term, with no other
/// request's write and no signature between them, unless the batch alone passes the ledger's
/// bound on unsigned bytes.
/// </summary>
internal sealed partial class Sequencer : IAsyncDisposable
{
    private const int MaxQueuedWrites = 16 * 1024;
    private const int MaxWritesPerBatch = 1024;

    // A write whose contents name a seqno may grow when a signature moves it on.
    private const int SeqnoGrowthBytes = 8;
    private static readonly TimeSpan CapacityWait = TimeSpan.FromSeconds(1);

    private readonly Ledger _ledger;
    private readonly Replica _replica;
    private readonly NodeIdentity _node;
    private readonly CommitEvidenceDeriver _evidence;
    private readonly ClaimSecretDeriver _claimSecrets;
    private readonly LedgerKeyring? _keyring;
    private readonly SignatureCadence _cadence;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<ISequencerItem> _queue;
    private readonly Task _loop;
    private readonly byte[] _claimSecret = new byte[LedgerEntryClaim.SecretKeyBytes];
    private byte[] _scratch = new byte[4096];
    private long _unsignedEntries;
    private long _unsignedBytes;
    private Exception? _fault;
    private long _firstUnsignedTimestamp;
    private long _lastSignatureSeqno;
    private int _intervalWakeArmed;
    private int _signingDeferred;

    public Sequencer(Ledger ledger, Replica replica, CommitTracker commits, NodeIdentity node, CommitEvidenceDeriver evidence, ClaimSecretDeriver claimSecrets, SignatureCadence cadence, TimeProvider time, ILogger logger, LedgerKeyring? keyring = null)
    {
        _keyring = keyring;
        _ledger = ledger;
        _replica = replica;
        Commits = commits;
        _node = node;
        _evidence = evidence;
        _claimSecrets = claimSecrets;
        _cadence = cadence;
        _time = time;
        _logger = logger;
        _firstUnsignedTimestamp = time.GetTimestamp();
        _queue = Channel.CreateBounded<ISequencerItem>(new BoundedChannelOptions(MaxQueuedWrites) { SingleReader = true });
        replica.LeadershipChanged += () => _queue.Writer.TryWrite(PendingWrite.Wake);
        commits.Awaiting += WakeIfSigningDeferred;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The view (consensus term) this node is in; it writes in it while it is the primary.</summary>
    public long View => _replica.Term;

    public CommitTracker Commits { get; }

    /// <summary>Set when the ledger failed under the sequencer; the node can no longer write.</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync())
            {
                // The run and the signature that ends it go to disk in one flush.
                _ledger.BeginFlushDeferral();
                try
                {
                    await AppendQueuedAsync(reader);
                    if (_replica.NeedsSignature || (_unsignedEntries > 0 && (SignatureDue() || (reader.Count == 0 && !SigningCanWait()))))
                    {
                        Sign();
                    }
                }
                finally
                {
                    _ledger.EndFlushDeferral();
                }

                _replica.Replicate();
            }

            // Stopping: what was accepted is signed now, not left for a flush the loop no longer sees.
            if (_unsignedEntries > 0)
            {
                Sign();
                _replica.Replicate();
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
            while (reader.TryRead(out var item))
            {
                item.Fail(new NodeUnavailableException(reason, Fault ?? new OperationCanceledException()));
            }
        }
    }

    private async ValueTask AppendQueuedAsync(ChannelReader<ISequencerItem> reader)
    {
        for (var taken = 0; taken < MaxWritesPerBatch && reader.TryRead(out var item); taken += item.WriteCount)
        {
            if (item is PendingBatch batch)
            {
                await AppendBatchAsync(batch);
            }
            else if (!ReferenceEquals(item, PendingWrite.Wake))
            {
                var write = (PendingWrite)item;
                if (await AppendOneAsync(write, write) is { } id)
                {
                    write.Appended(id, Commits);
                }
            }
        }
    }

    private async ValueTask AppendBatchAsync(PendingBatch batch)
    {
        // A batch goes in between two signatures and in one term, so a backup or a recovered
        // ledger (both end at a signature) holds all of it or none: a rotation's record and the
        // deal of its secret rely on that. Only a batch that alone passes the ledger's bound on
        // unsigned bytes is split, and an indivisible one is refused instead.
        var ids = new TransactionId[batch.Writes.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            // A failed write has already failed the batch: the rest are not appended.
            if (await AppendOneAsync(batch.Writes[i], batch, i == 0 ? null : ids[i - 1]) is not { } id)
            {
                return;
            }

            ids[i] = id;
        }

        batch.Appended(ids, Commits);
    }

    /// <summary>
    /// Appends <paramref name="write"/>, or fails <paramref name="owner"/> and returns null; a ledger
    /// failure is rethrown after failing it. <paramref name="follows"/> is the write of the same
    /// batch just before it, which it must follow in the same term with no signature the cadence
    /// calls for between them; null for a single write or a batch's first.
    /// </summary>
    private async ValueTask<TransactionId?> AppendOneAsync(IEntryWrite write, ISequencerItem owner, TransactionId? follows = null)
    {
        TransactionId id;
        int size;
        try
        {
            size = SizeOf(write, write.ContentsAt(_ledger.LastSeqno + 1));
            if (follows is null)
            {
                var run = size + (owner is PendingBatch batch ? BytesAfterFirst(batch) : 0);
                if (owner is PendingBatch { Indivisible: true } && run > _ledger.MaxUnsplitRunBytes)
                {
                    throw new WriteAbandonedException($"The batch of {owner.WriteCount} writes, {run} bytes, is too large to append between two signatures.");
                }

                if (_unsignedEntries > 0 && (SignatureDue() || _unsignedBytes + run > _ledger.MaxUnsignedRunBytes))
                {
                    Sign();
                }
            }
            else if (_unsignedBytes + size > _ledger.MaxUnsplitRunBytes)
            {
                Sign();
            }

            (id, size) = await ProposeWriteAsync(write, follows);
        }
        catch (Exception exception) when (exception is EntryFormatException or ArgumentException or NotPrimaryException or WriteAbandonedException)
        {
            // Validation failures are bugs in the handlers (they validate first); a lost
            // leadership is the caller's to retry at the primary; an abandoned write is its
            // writer's to decide again. The ledger is unchanged.
            owner.Fail(exception);
            return null;
        }
        catch (Exception exception)
        {
            owner.Fail(new NodeUnavailableException("The node's ledger failed; the write was not recorded.", exception));
            throw;
        }

        if (_unsignedEntries++ == 0)
        {
            _firstUnsignedTimestamp = _time.GetTimestamp();
        }

        _unsignedBytes += size;
        return id;
    }

    // The bytes of a batch's writes after its first, which must fit the run the first one starts.
    private long BytesAfterFirst(PendingBatch batch)
    {
        long bytes = 0;
        for (var i = 1; i < batch.Writes.Count; i++)
        {
            bytes += SizeOf(batch.Writes[i], batch.Writes[i].ContentsAt(_ledger.LastSeqno + 1 + i)) + SeqnoGrowthBytes;
        }

        return bytes;
    }

    private int SizeOf(IEntryWrite write, ReadOnlyMemory<byte> contents) => IsSealed(write)
        ? EntryCodec.GetPrivateWriteSize(write.CollectionId, write.Tags, contents.Length)
        : EntryCodec.GetWriteSize(write.CollectionId, write.Tags, contents.Length);

    private async ValueTask<(TransactionId Id, int Size)> ProposeWriteAsync(IEntryWrite write, TransactionId? follows)
    {
        while (true)
        {
            var id = new TransactionId(_replica.Term, _ledger.LastSeqno + 1);
            if (follows is { } previous && id.View != previous.View)
            {
                // Deposed and elected again while waiting for capacity: the new term rolled back
                // the batch's unsigned start, so the rest must not go in without it.
                throw NotPrimary();
            }

            // Made again on every turn: a signature or a rollback may have moved the seqno.
            var contents = write.ContentsAt(id.Seqno);
            var size = SizeOf(write, contents);
            var header = HeaderFor(write, id, contents.Span);
            if (_scratch.Length < size)
            {
                _scratch = new byte[Math.Max(size, 2 * _scratch.Length)];
            }

            var bytes = _scratch.AsMemory(0, size);
            Encode(bytes.Span, header, write, contents.Span);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(_claimSecret);
            var entry = write.CollectionId == Membership.Collection
                ? ReplicatedEntries.Describe(bytes)
                : new ReplicatedEntry(id.View, LogEntryKind.Data, bytes);
            switch (_replica.Propose(entry, out _))
            {
                case ProposeResult.Accepted:
                    return (id, size);
                case ProposeResult.AtCapacity:
                    // Too much awaits commit: let replication catch up before taking more.
                    await WaitForCommitProgressAsync();
                    continue;
                case ProposeResult.ConfigurationChangeNotAllowed:
                    throw new ArgumentException("A membership change is already under way; try again once it has committed.");
                default:
                    throw NotPrimary();
            }
        }
    }

    /// <summary>The header of <paramref name="write"/> as <paramref name="id"/>; leaves the write's claim secret in <c>_claimSecret</c> for sealing.</summary>
    private EntryHeader HeaderFor(IEntryWrite write, TransactionId id, ReadOnlySpan<byte> contents)
    {
        Span<byte> collection = stackalloc byte[EntryCodec.MaxCollectionIdBytes];
        var collectionLength = EntryText.CollectionId(write.CollectionId, collection);
        // A private write's claim secret comes from the ledger secret that seals it, so that an
        // older secret (which unwraps the service secret) cannot test guesses of its contents
        // against the claims digest in its header.
        var isSealed = IsSealed(write);
        var claimSecrets = isSealed ? _keyring!.ForSeqno(id.Seqno).ClaimSecrets : _claimSecrets;
        claimSecrets.Derive(id, _claimSecret);
        return new EntryHeader(
            isSealed ? EntryKind.PrivateWrite : EntryKind.Write,
            id,
            _evidence.DeriveDigest(id),
            LedgerEntryClaim.ComputeSingleClaimsDigest(_claimSecret, collection[..collectionLength], contents));
    }

    // In a private ledger the primary seals application writes here, so that they are encrypted
    // in the ledger files and in the replication stream alike. The node's own records (users and
    // roles, membership) stay public, as governance does in CCF: every node and an auditor
    // replay them without keys (docs/threat-model.md).
    private bool IsSealed(IEntryWrite write)
        => _keyring is not null && !write.CollectionId.StartsWith(Api.LedgerEntryInput.ReservedCollectionPrefix, StringComparison.Ordinal);

    private void Encode(Span<byte> destination, in EntryHeader header, IEntryWrite write, ReadOnlySpan<byte> contents)
    {
        if (header.Kind == EntryKind.PrivateWrite)
        {
            // A rotation's record applies to the keyring as it is appended, under the proposal
            // that appends it, and names the next seqno as its start: so the primary's next write
            // is always sealed under the latest secret, never under the one it replaces.
            var cipher = _keyring!.ForSeqno(header.Id.Seqno);
            Invariant.Check(cipher.Version == _keyring.Latest.Version, "the primary seals new writes under its latest ledger secret");
            cipher.Seal(destination, header, write.CollectionId, write.Tags, _claimSecret, contents);
        }
        else
        {
            EntryCodec.EncodeWrite(destination, header, write.CollectionId, write.Tags, contents);
        }
    }

    private async Task WaitForCommitProgressAsync()
    {
        // Commit needs what this run appended on disk: the run's flush deferral pauses meanwhile.
        _ledger.EndFlushDeferral();
        try
        {
            await Commits.WaitCommittedAsync(Commits.Committed.Seqno + 1, CancellationToken.None).WaitAsync(CapacityWait, _time);
        }
        catch (TimeoutException)
        {
            // Nothing committed for a while: the proposal is retried and may now find this node deposed.
        }
        finally
        {
            _ledger.BeginFlushDeferral();
        }
    }

    private NotPrimaryException NotPrimary() => new(_replica.LeaderApiAddress);

    /// <summary>Faults the node: it takes no more writes and commit waiters fail.</summary>
    public void Fail(Exception exception)
    {
        if (Interlocked.CompareExchange(ref _fault, exception, null) is not null)
        {
            return;
        }

        LogLedgerFailed(_logger, exception);
        _queue.Writer.TryComplete();
        Commits.Fail(new NodeUnavailableException("The node's ledger failed; nothing more commits.", exception));
    }

    /// <summary>Stops taking writes and appends and signs those queued; the replica makes them durable and commits them.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The ledger failed; the node accepts no more writes and must be restarted.")]
    private static partial void LogLedgerFailed(ILogger logger, Exception exception);
}
