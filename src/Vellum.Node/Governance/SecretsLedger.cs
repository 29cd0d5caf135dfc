using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Vellum.Core;
using Vellum.Core.Encryption;
using Vellum.Node.Replication;
using Vellum.Node.Sequencing;
using Vellum.Storage;

namespace Vellum.Node.Governance;

/// <summary>
/// A private ledger's secrets as the ledger holds them (<see cref="LedgerSecretRecords"/>). On
/// every node, each record in <c>vellum:secrets</c> is opened as it is appended, with the
/// distribution secret the service key derives (or, for a record of format 1, the service
/// secret), and its secret joins the keyring from its start seqno; at start and after a rollback
/// the keyring is rebuilt from the records left, on top of <c>ledger_secret.key</c>. That file
/// holds version 0, and after a disaster recovery every version the lost service's nodes sealed,
/// which the new service key cannot open; each is checked against its record
/// (<see cref="LedgerSecretChain.Vouches"/>). Nothing else is written to disk: the ledger is the
/// one place a later secret is kept, so a rolled-back rotation can never survive in a file, and a
/// restarted or joining node learns every later version from the records it replays or is
/// replicated.
/// </summary>
/// <remarks>
/// On the primary it writes version 0's record when the ledger lacks it, and carries out each
/// accepted <c>trigger_ledger_rekey</c> that no record names yet, appending the new version's
/// record and the recovery deal of its secret together, with no signature between them, so that
/// no ledger a backup or a recovery holds has the one without the other. It checks after every
/// governance record and change of leadership; checking twice writes once, so a new primary
/// finishes what an old one did not. A public ledger has no keyring, and nothing is done.
/// </remarks>
internal sealed partial class SecretsLedger : IAsyncDisposable
{
    private readonly Sequencer _sequencer;
    private readonly Ledger _ledger;
    private readonly Replica _replica;
    private readonly GovernanceLedger _governance;
    private readonly LedgerKeyring? _keyring;
    private readonly int _fileVersions;
    private readonly byte[] _serviceSecret;
    private readonly byte[] _distributionSecret;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly AsyncSignal _check = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly HashSet<string> _carriedOut = new(StringComparer.Ordinal);
    private bool _hasFoundingRecord;
    private Task _loop = Task.CompletedTask;

    public SecretsLedger(Sequencer sequencer, Ledger ledger, LedgerRaftLog log, Replica replica, GovernanceLedger governance, LedgerKeyring? keyring, ReadOnlySpan<byte> serviceSecret, ReadOnlySpan<byte> distributionSecret, ILogger logger)
    {
        _sequencer = sequencer;
        _ledger = ledger;
        _replica = replica;
        _governance = governance;
        _keyring = keyring;
        _fileVersions = keyring?.Count ?? 0;
        _serviceSecret = serviceSecret.ToArray();
        _distributionSecret = distributionSecret.ToArray();
        _logger = logger;
        log.ServiceRecordAppended += (_, entry) => ApplyIfRecord(entry.Span);
        log.Truncated += _ => Replay();
        governance.Changed += _check.Set;
        replica.LeadershipChanged += _check.Set;
    }

    /// <summary>Raised, outside the lock, after a record applied or the keyring was rebuilt; handlers must not block.</summary>
    public event Action? Changed;

    /// <summary>The ledger secrets that seal and open private writes; null for a public ledger.</summary>
    public LedgerKeyring? Keyring => _keyring;

    /// <summary>Rebuilds the keyring from the ledger's records: versions whose record is gone are dropped.</summary>
    /// <exception cref="InvalidDataException">A record is malformed or does not open: the ledger is corrupt.</exception>
    public void Replay()
    {
        var records = new List<(TransactionId, LedgerSecretRecord)>();
        foreach (var entry in _ledger.ReadByKey(Storage.Indexing.IndexKey.Collection(LedgerSecretRecords.Collection), 1, long.MaxValue, int.MaxValue))
        {
            records.Add(LedgerSecretRecords.ParseIfRecord(entry) ?? throw new InvalidDataException("The index lists an entry as a ledger secret record, but it is not one."));
        }

        lock (_gate)
        {
            if (_keyring is not null)
            {
                // Rollbacks remove a suffix of the log, so the records left are a prefix of those applied.
                _keyring.DropFrom(Math.Max(_fileVersions, records.Count == 0 ? 1 : records[^1].Item2.Version + 1));
            }

            _carriedOut.Clear();
            _hasFoundingRecord = false;
            foreach (var (id, record) in records)
            {
                Apply(id, record);
            }
        }

        Changed?.Invoke();
        _check.Set();
    }

    /// <summary>Starts checking, in the background, for records the primary owes.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>
    /// On the primary of a private ledger, writes version 0's record if the ledger lacks it and
    /// carries out every accepted rekey not yet carried out; returns the last ledger secret record
    /// written, or null when nothing was owed or this node is not the primary.
    /// </summary>
    /// <exception cref="NotPrimaryException">Leadership was lost while writing.</exception>
    /// <exception cref="NodeUnavailableException">The node is stopping or failed.</exception>
    /// <exception cref="WriteAbandonedException">The keyring moved while a record was being written; the next check decides again.</exception>
    public async Task<TransactionId?> CatchUpAsync(CancellationToken cancellationToken)
    {
        if (_keyring is null)
        {
            return null;
        }

        await _writes.WaitAsync(cancellationToken);
        try
        {
            TransactionId? written = null;
            if (!_replica.IsLeader)
            {
                return null;
            }

            if (!HasFoundingRecord())
            {
                written = await AppendFoundingRecordAsync();
            }

            foreach (var proposalId in PendingRekeys())
            {
                written = await RekeyAsync(proposalId);
            }

            return written;
        }
        finally
        {
            _writes.Release();
        }
    }

    private bool HasFoundingRecord()
    {
        lock (_gate)
        {
            return _hasFoundingRecord;
        }
    }

    private List<string> PendingRekeys()
    {
        var accepted = _governance.Read(consortium => consortium?.AcceptedRekeys.ToList() ?? []);
        lock (_gate)
        {
            return accepted.Where(proposalId => !_carriedOut.Contains(proposalId)).ToList();
        }
    }

    private async Task<TransactionId> AppendFoundingRecordAsync()
    {
        var json = LedgerSecretChain.Seal(_keyring!.SecretOf(0), null, _serviceSecret, _distributionSecret, null, RandomNumberGenerator.Fill).ToJson();

        // Not cancellable once sealed: the record goes in, and the hook applies it.
        return await _sequencer.AppendAsync(
            LedgerSecretRecords.Collection,
            _ => HasFoundingRecord() ? throw new WriteAbandonedException("Version 0's ledger secret record is in the ledger already.") : json);
    }

    private async Task<TransactionId> RekeyAsync(string proposalId)
    {
        var latest = _keyring!.Latest;
        var plan = DealPlan.Read(_governance);
        if (plan is null && RecoveryDealer.ReadLatest(_ledger) is not null)
        {
            throw new WriteAbandonedException($"The rekey of proposal {proposalId} waits: no member holds an encryption key to be dealt the new secret, and the ledger's last deal, of an older secret, could not recover it.");
        }

        var fresh = RandomNumberGenerator.GetBytes(LedgerSecret.SecretBytes);
        LedgerSecretRecord record;
        byte[]? deal;

        // The start seqno is only known when the sequencer writes the record, so this one is a
        // placeholder the record replaces then; the wraps do not depend on it.
        using (var next = new LedgerSecret(latest.Version + 1, latest.StartSeqno + 1, fresh))
        {
            CryptographicOperations.ZeroMemory(fresh);
            record = LedgerSecretChain.Seal(next, latest, _serviceSecret, _distributionSecret, proposalId, RandomNumberGenerator.Fill);

            // Dealt now, to go in with the record: the previous deal recovers only the previous
            // secret, which cannot open this one, so no entry sealed under it may precede its deal.
            deal = DealFor(plan, next, proposalId);
        }

        var writes = new List<IEntryWrite>
        {
            new ComputedWrite(LedgerSecretRecords.Collection, seqno =>
            {
                // On the sequencer's thread, with nothing appended between this and the append:
                // the record still follows the secret it wraps, the rekey is still owed, and the
                // deal that follows still deals to the consortium (a member removed meanwhile
                // must not get a share). Nothing after this can fail the deal alone.
                lock (_gate)
                {
                    if (!ReferenceEquals(_keyring.Latest, latest) || _carriedOut.Contains(proposalId))
                    {
                        throw new WriteAbandonedException($"The ledger secrets moved on before the rekey of proposal {proposalId} was written.");
                    }
                }

                if (deal is not null && !plan!.SameAs(DealPlan.Read(_governance)))
                {
                    throw new WriteAbandonedException($"The consortium changed before the rekey of proposal {proposalId} was written; it is dealt again.");
                }

                return (record with { StartSeqno = seqno + 1 }).ToJson();
            }),
        };
        if (deal is not null)
        {
            writes.Add(new BatchWrite(RecoveryDealer.Collection, [], deal));
        }

        // Not cancellable once sealed: the records go in together or not at all, and the hooks apply them.
        var ids = await _sequencer.AppendIndivisibleAsync(writes);
        LogRekeyed(_logger, record.Version, proposalId, ids[0]);
        return ids[0];
    }

    // The deal of the new secret by the consortium's plan, or null when nothing was ever dealt
    // (no member ever held an encryption key, so there is no recovery to keep whole).
    private static byte[]? DealFor(DealPlan? plan, LedgerSecret secret, string proposalId)
    {
        try
        {
            return plan?.Deal(DealtSecret.Ledger, secret.Version, secret.Secret).Record;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            throw new WriteAbandonedException($"The rekey of proposal {proposalId} waits: its secret cannot be dealt to the consortium: {exception.Message}");
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _check.WaitAsync(_stop.Token);
                await CatchUpAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NotPrimaryException or NodeUnavailableException or WriteAbandonedException)
            {
                // A lost leadership is the next primary's to finish; a moved keyring is checked
                // again when the record that moved it is applied; a consortium that cannot be
                // dealt to holds the rotation back until governance changes it again.
                LogNotWritten(_logger, exception.Message);
            }
        }
    }

    private void ApplyIfRecord(ReadOnlySpan<byte> entry)
    {
        if (LedgerSecretRecords.ParseIfRecord(entry) is not var (id, record))
        {
            return;
        }

        lock (_gate)
        {
            Apply(id, record);
        }

        Changed?.Invoke();
    }

    // Called under the lock, in log order.
    private void Apply(TransactionId id, LedgerSecretRecord record)
    {
        var keyring = _keyring ?? throw new InvalidDataException($"Transaction {id} is a ledger secret record, but this ledger is public.");
        if (record.Version < keyring.Count)
        {
            // Known already (from ledger_secret.key, or applied before a replay): the record must vouch for it.
            var known = keyring.SecretOf(record.Version);
            if (known.StartSeqno != record.StartSeqno || !LedgerSecretChain.Vouches(record, known.Secret, _serviceSecret))
            {
                throw new InvalidDataException($"The ledger secret record in transaction {id} holds another version {record.Version} than the one this node has.");
            }
        }
        else if (record.Version == keyring.Count)
        {
            try
            {
                using var secret = LedgerSecretChain.OpenForNode(record, _serviceSecret, _distributionSecret);
                keyring.Add(secret);
            }
            catch (LedgerSecretChainException exception)
            {
                throw new InvalidDataException($"The ledger secret record in transaction {id} cannot be opened: {exception.Message}");
            }
        }
        else
        {
            throw new InvalidDataException($"The ledger secret record in transaction {id} is version {record.Version}, but the next version is {keyring.Count}.");
        }

        _hasFoundingRecord |= record.Version == 0;
        if (record.ProposalId is { } proposalId)
        {
            _carriedOut.Add(proposalId);
        }
    }

    /// <summary>Stops the background check and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _writes.Dispose();
        CryptographicOperations.ZeroMemory(_serviceSecret);
        CryptographicOperations.ZeroMemory(_distributionSecret);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger secret version {Version} written for proposal {ProposalId} in transaction {Id}.")]
    private static partial void LogRekeyed(ILogger logger, int version, string proposalId, TransactionId id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A ledger secret record was not written: {Reason}")]
    private static partial void LogNotWritten(ILogger logger, string reason);
}
