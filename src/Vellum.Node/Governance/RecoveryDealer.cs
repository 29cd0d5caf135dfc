using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Vellum.Core;
using Vellum.Core.Encryption;
using Vellum.Core.Entries;
using Vellum.Core.Recovery;
using Vellum.Node.Api;
using Vellum.Node.Replication;
using Vellum.Node.Sequencing;
using Vellum.Storage;
using Vellum.Storage.Indexing;

namespace Vellum.Node.Governance;

/// <summary>
/// Keeps the ledger's recovery shares in the ledger: the latest deal in <c>vellum:recovery</c>
/// is tracked on every node like the consortium (applied on append, replayed at start and after a
/// rollback), and the primary deals again whenever that deal no longer matches the consortium's
/// key holders, its threshold or the current ledger secret. The check runs after every governance
/// record and every change of leadership, so a new primary finishes what an old one did not; it
/// is idempotent, so running it twice deals once. A private ledger's latest ledger secret is
/// dealt; a public ledger has none, so its service secret is (<see cref="DealtSecret"/>).
/// </summary>
internal sealed partial class RecoveryDealer : IAsyncDisposable
{
    public const string Collection = LedgerEntryInput.ReservedCollectionPrefix + "recovery";

    private static readonly byte[] CollectionUtf8 = System.Text.Encoding.UTF8.GetBytes(Collection);

    private readonly Sequencer _sequencer;
    private readonly Ledger _ledger;
    private readonly Replica _replica;
    private readonly GovernanceLedger _governance;
    private readonly LedgerKeyring? _keyring;
    private readonly ReadOnlyMemory<byte> _serviceSecret;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _deals = new(1, 1);
    private readonly AsyncSignal _check = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private DealRecord? _latest;
    private Task _loop = Task.CompletedTask;

    public RecoveryDealer(Sequencer sequencer, Ledger ledger, LedgerRaftLog log, Replica replica, GovernanceLedger governance, SecretsLedger secrets, ReadOnlyMemory<byte> serviceSecret, ILogger logger)
    {
        _serviceSecret = serviceSecret;
        _sequencer = sequencer;
        _ledger = ledger;
        _replica = replica;
        _governance = governance;
        _keyring = secrets.Keyring;
        _logger = logger;
        log.ServiceRecordAppended += (_, entry) => ApplyIfDeal(entry.Span);
        log.Truncated += _ => Replay();
        governance.Changed += _check.Set;
        replica.LeadershipChanged += _check.Set;

        // A rotation changes the latest secret, which the members must be dealt anew.
        secrets.Changed += _check.Set;
    }

    /// <summary>The latest deal in the log (committed or not), or null before the first.</summary>
    public DealRecord? Latest
    {
        get
        {
            lock (_gate)
            {
                return _latest;
            }
        }
    }

    /// <summary>Rebuilds the latest deal from the ledger's recovery records.</summary>
    /// <exception cref="InvalidDataException">A record is malformed: the ledger is corrupt.</exception>
    public void Replay()
    {
        var latest = ReadLatest(_ledger);
        lock (_gate)
        {
            _latest = latest;
        }

        _check.Set();
    }

    /// <summary>The latest deal in <paramref name="ledger"/>, or null before the first.</summary>
    /// <exception cref="InvalidDataException">A record is malformed: the ledger is corrupt.</exception>
    public static DealRecord? ReadLatest(Ledger ledger)
    {
        if (ledger.FindLastByKey(IndexKey.Collection(Collection), ledger.LastSeqno) is not { } seqno)
        {
            return null;
        }

        var write = EntryCodec.ReadWrite(ledger.ReadEntry(seqno));
        return DealRecord.Parse(write.Contents, write.Header.Id);
    }

    /// <summary>Starts checking the deal in the background after each governance change or change of leadership.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>
    /// On the primary, deals anew when the latest deal does not match the consortium; returns the
    /// transaction of the deal that matches (new or not), or null when there is nothing to deal:
    /// a public ledger, a consortium not founded yet, no member holding an encryption key, or a
    /// node that is not the primary.
    /// </summary>
    /// <exception cref="NotPrimaryException">Leadership was lost while dealing.</exception>
    /// <exception cref="NodeUnavailableException">The node is stopping or failed.</exception>
    /// <exception cref="WriteAbandonedException">Another deal, or a newer ledger secret with its deal, was written before this one.</exception>
    public async Task<TransactionId?> DealIfStaleAsync(CancellationToken cancellationToken)
    {
        await _deals.WaitAsync(cancellationToken);
        try
        {
            var plan = DealPlan.Read(_governance);
            if (plan is null || !_replica.IsLeader)
            {
                return null;
            }

            var (dealt, version) = _keyring is null ? (DealtSecret.Service, 0) : (DealtSecret.Ledger, _keyring.Latest.Version);
            var seen = Latest;
            if (seen is not null && plan.IsMatchedBy(seen, dealt, version))
            {
                return seen.Id;
            }

            var (record, dealId, holders) = plan.Deal(dealt, version, _keyring is null ? _serviceSecret.Span : _keyring.SecretOf(version).Secret);

            // Not cancellable once dealt: the record goes in, and the hook applies it. A rotation
            // appended meanwhile brought its own deal, which this one must not follow: a deal of
            // an older secret would leave the newer one unrecoverable, and one of the same secret
            // is wasted. The next check decides again.
            var id = await _sequencer.AppendAsync(
                Collection,
                _ => !ReferenceEquals(Latest, seen) || (_keyring is not null && _keyring.Latest.Version != version)
                    ? throw new WriteAbandonedException($"Another deal was written before this one, of ledger secret version {version}.")
                    : record);
            LogDealt(_logger, dealId, holders, plan.Threshold, id);
            return id;
        }
        finally
        {
            _deals.Release();
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _check.WaitAsync(_stop.Token);
                await DealIfStaleAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NotPrimaryException or NodeUnavailableException or WriteAbandonedException or ArgumentException or FormatException)
            {
                // A lost leadership is the next primary's to finish; a consortium whose keys
                // cannot be dealt to (two members sharing a key, more than 255 holders) keeps
                // its previous deal until governance changes it again; a deal that another
                // overtook is checked again against the one that did.
                LogNotDealt(_logger, exception.Message);
                if (exception is WriteAbandonedException)
                {
                    _check.Set();
                }
            }
        }
    }

    private void ApplyIfDeal(ReadOnlySpan<byte> entry)
    {
        if (EntryCodec.ReadHeader(entry).Kind != EntryKind.Write)
        {
            return;
        }

        var write = EntryCodec.ReadWrite(entry);
        if (write.CollectionId.SequenceEqual(CollectionUtf8))
        {
            var deal = DealRecord.Parse(write.Contents, write.Header.Id);
            lock (_gate)
            {
                _latest = deal;
            }
        }
    }

    /// <summary>Stops the background check and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _deals.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dealt recovery shares {DealId} to {Members} member(s), threshold {Threshold}, in transaction {Id}.")]
    internal static partial void LogDealt(ILogger logger, DealId dealId, int members, int threshold, TransactionId id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovery shares were not dealt: {Reason}")]
    private static partial void LogNotDealt(ILogger logger, string reason);
}
