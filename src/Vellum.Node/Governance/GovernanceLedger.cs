using System.Text.Json;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Node.Api;
using Vellum.Node.Governance.Voting;
using Vellum.Node.Recovery;
using Vellum.Node.Replication;
using Vellum.Node.Sequencing;
using Vellum.Storage;
using Vellum.Storage.Indexing;

namespace Vellum.Node.Governance;

/// <summary>
/// The consortium kept as ledger transactions in <c>vellum:gov</c>: a request is checked against
/// the current state, recorded, applied by the log's append hook on this node as on every other,
/// replayed at start and after a rollback, and answered once committed. Requests are serialised,
/// so checking and recording meet the same state.
/// </summary>
internal sealed class GovernanceLedger : IDisposable
{
    public const string Collection = LedgerEntryInput.ReservedCollectionPrefix + "gov";

    private static readonly byte[] CollectionUtf8 = System.Text.Encoding.UTF8.GetBytes(Collection);
    private static readonly byte[] ServiceCollectionUtf8 = System.Text.Encoding.UTF8.GetBytes(ServiceRecord.Collection);

    private readonly Sequencer _sequencer;
    private readonly Ledger _ledger;
    private readonly SemaphoreSlim _requests = new(1, 1);
    private readonly Lock _gate = new();
    private Consortium? _consortium;

    public GovernanceLedger(Sequencer sequencer, Ledger ledger, LedgerRaftLog log)
    {
        _sequencer = sequencer;
        _ledger = ledger;
        log.ServiceRecordAppended += (_, entry) => ApplyIfGovernanceRecord(entry.Span);
        log.Truncated += _ => Replay();
    }

    /// <summary>Raised, outside the lock, after a governance record applied or the consortium was rebuilt; handlers must not block.</summary>
    public event Action? Changed;

    /// <summary>Whether the consortium is not founded yet: a new ledger, or a joined node before the record reaches it.</summary>
    public bool IsEmpty => Read(consortium => consortium is null);

    /// <summary>Runs <paramref name="read"/> on the consortium (null before its founding) under the lock; it must copy what it keeps.</summary>
    public T Read<T>(Func<Consortium?, T> read)
    {
        lock (_gate)
        {
            return read(_consortium);
        }
    }

    /// <summary>Rebuilds the consortium from the ledger's governance records.</summary>
    /// <exception cref="InvalidDataException">A record does not apply: the ledger is corrupt.</exception>
    public void Replay()
    {
        var consortium = ReadConsortium(_ledger);
        lock (_gate)
        {
            _consortium = consortium;
        }

        Changed?.Invoke();
    }

    /// <summary>
    /// The consortium <paramref name="ledger"/>'s governance records build, or null before its
    /// founding. Its recoveries (<c>vellum:service</c>) are interleaved in log order, as they are
    /// when appended, since whether an opening applies depends on the recovery before it.
    /// </summary>
    /// <exception cref="InvalidDataException">A record does not apply: the ledger is corrupt.</exception>
    public static Consortium? ReadConsortium(Ledger ledger)
    {
        var recoveries = new Queue<ServiceRecord>(
            ledger.ReadByKey(IndexKey.Collection(ServiceRecord.Collection), 1, long.MaxValue, int.MaxValue)
                .Select(entry => ReadRecovery(entry)));
        Consortium? consortium = null;
        foreach (var entry in ledger.ReadByKey(IndexKey.Collection(Collection), 1, long.MaxValue, int.MaxValue))
        {
            var write = EntryCodec.ReadWrite(entry);
            while (recoveries.TryPeek(out var recovery) && recovery.Id.Seqno < write.Header.Id.Seqno)
            {
                consortium?.RecordRecovery(recoveries.Dequeue().ServiceIdentityId);
            }

            consortium = GovernanceRecord.Apply(consortium, write.Contents, write.Header.Id);
        }

        foreach (var recovery in recoveries)
        {
            consortium?.RecordRecovery(recovery.ServiceIdentityId);
        }

        return consortium;
    }

    /// <summary>Founds the consortium with its first members; completes once committed.</summary>
    public Task FoundAsync(IReadOnlyList<Member> members, int recoveryThreshold, CancellationToken cancellationToken) =>
        RecordAsync(_ => GovernanceRecord.Found(members, recoveryThreshold), cancellationToken);

    /// <summary>Records a proposal; completes once committed, with its id and the transaction that records it.</summary>
    /// <exception cref="GovernanceException">The request does not apply (nothing is recorded).</exception>
    public async Task<(string ProposalId, TransactionId RecordedIn)> ProposeAsync(string proposerId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var actions = Proposal.ParseActions(body.Span);
        if (actions.FirstOrDefault(action => !GovernanceActions.IsCarriedOut(action.Name)) is { } unsupported)
        {
            throw GovernanceException.Invalid($"The action {unsupported.Name} is not carried out by this version yet; only {GovernanceActions.SetMember}, {GovernanceActions.RemoveMember}, {GovernanceActions.SetRecoveryThreshold}, {GovernanceActions.TransitionNodeToTrusted}, {GovernanceActions.RemoveNode}, {GovernanceActions.TriggerLedgerRekey}, {GovernanceActions.SetJwtIssuer}, {GovernanceActions.RemoveJwtIssuer} and {GovernanceActions.TransitionServiceToOpen} are.");
        }

        using var document = ParseProposal(body);
        var record = GovernanceRecord.Propose(proposerId, document.RootElement);
        var id = await RecordAsync(
            consortium =>
            {
                Founded(consortium).CheckProposal(proposerId, actions);
                return record;
            },
            cancellationToken);

        // Computed as every node's replay computes it, from the record as stored.
        return (GovernanceRecord.ProposalIdIn(record, id), id);
    }

    /// <summary>
    /// A proposal body, already read by <see cref="Proposal.ParseActions"/>, as a document. It is
    /// recorded as posted and shown to every member, so what the actions do not read is checked
    /// too: all its text valid Unicode (or listing proposals would fail on it), and no member
    /// given twice (or a member reading it could see another value than the one carried out).
    /// Records already in a ledger replay as they were recorded.
    /// </summary>
    private static JsonDocument ParseProposal(ReadOnlyMemory<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = Proposal.MaxBodyDepth });
            if (!reader.Read() || !JsonStrings.SkipCheckingText(ref reader))
            {
                throw GovernanceException.Invalid("A proposal holds text that is not valid Unicode (bytes that are not UTF-8, or a lone surrogate escape).");
            }

            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = Proposal.MaxBodyDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException exception)
        {
            throw GovernanceException.Invalid($"A proposal gives a member more than once: {exception.Message}");
        }
    }

    /// <summary>Records a member's ballot; completes once committed, with the transaction that records it.</summary>
    /// <exception cref="GovernanceException">The request does not apply (nothing is recorded).</exception>
    public Task<TransactionId> BallotAsync(string memberId, string proposalId, bool inFavour, CancellationToken cancellationToken) =>
        RecordAsync(
            consortium =>
            {
                Founded(consortium).CheckBallot(memberId, proposalId);
                return GovernanceRecord.Ballot(memberId, proposalId, inFavour);
            },
            cancellationToken);

    /// <summary>Records the withdrawal of a proposal by its proposer; completes once committed, with the transaction that records it.</summary>
    /// <exception cref="GovernanceException">The request does not apply (nothing is recorded).</exception>
    public Task<TransactionId> WithdrawAsync(string memberId, string proposalId, CancellationToken cancellationToken) =>
        RecordAsync(
            consortium =>
            {
                Founded(consortium).CheckWithdrawal(memberId, proposalId);
                return GovernanceRecord.Withdraw(memberId, proposalId);
            },
            cancellationToken);

    private static Consortium Founded(Consortium? consortium) =>
        consortium ?? throw GovernanceException.NotAMember("anyone: the consortium is not founded yet;");

    private async Task<TransactionId> RecordAsync(Func<Consortium?, byte[]> check, CancellationToken cancellationToken)
    {
        TransactionId id;
        await _requests.WaitAsync(cancellationToken);
        try
        {
            var record = Read(check);

            // Not cancellable once checked: the record goes in, and the hook applies it.
            id = await _sequencer.AppendAsync(Collection, [], record, CancellationToken.None);
        }
        finally
        {
            _requests.Release();
        }

        await _sequencer.Commits.WaitCommittedAsync(id.Seqno, cancellationToken);
        return id;
    }

    private void ApplyIfGovernanceRecord(ReadOnlySpan<byte> entry)
    {
        if (EntryCodec.ReadHeader(entry).Kind != EntryKind.Write)
        {
            return;
        }

        var write = EntryCodec.ReadWrite(entry);
        if (write.CollectionId.SequenceEqual(CollectionUtf8))
        {
            lock (_gate)
            {
                _consortium = GovernanceRecord.Apply(_consortium, write.Contents, write.Header.Id);
            }

            Changed?.Invoke();
        }
        else if (write.CollectionId.SequenceEqual(ServiceCollectionUtf8))
        {
            var recovery = ReadRecovery(entry);
            lock (_gate)
            {
                _consortium?.RecordRecovery(recovery.ServiceIdentityId);
            }
        }
    }

    private static ServiceRecord ReadRecovery(ReadOnlySpan<byte> entry)
    {
        var write = EntryCodec.ReadWrite(entry);
        return ServiceRecord.Parse(write.Contents, write.Header.Id);
    }

    public void Dispose() => _requests.Dispose();
}
