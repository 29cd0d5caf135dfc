using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Node.Access;
using Vellum.Node.Api;
using Vellum.Node.Replication;
using Vellum.Node.Sequencing;
using Vellum.Storage;
using Vellum.Storage.Indexing;

namespace Vellum.Node.Governance;

/// <summary>
/// Users and roles, kept as ledger transactions: the changes of one request are one write to the
/// reserved collection <c>vellum:access</c> (its contents an <see cref="AccessRecord"/>'s JSON),
/// applied all or nothing as soon as it is in the log (proposed by this primary or replicated
/// from another), replayed in seqno order at startup and again when consensus rolls the log back.
/// Changes are serialised, so validating a record and recording it happen against the same state.
/// </summary>
internal sealed class AccessLedger : IDisposable
{
    private readonly Sequencer _sequencer;
    private readonly Ledger _ledger;

    public AccessLedger(Sequencer sequencer, Ledger ledger, LedgerRaftLog log)
    {
        _sequencer = sequencer;
        _ledger = ledger;
        log.ServiceRecordAppended += (_, entry) => ApplyIfAccessRecord(entry.Span);
        log.Truncated += _ => Replay();
    }

    public const string Collection = LedgerEntryInput.ReservedCollectionPrefix + "access";

    private static readonly byte[] CollectionUtf8 = System.Text.Encoding.UTF8.GetBytes(Collection);

    private readonly SemaphoreSlim _changes = new(1, 1);

    public AccessControl Control { get; } = new();

    /// <summary>Whether the ledger records no user yet: a new ledger, before its first Administrator.</summary>
    public bool IsEmpty => Control.Users.Count == 0;

    /// <summary>Rebuilds the state from the ledger's access records.</summary>
    /// <exception cref="InvalidDataException">A record is malformed or does not apply: the ledger is corrupt.</exception>
    public void Replay()
    {
        var entries = _ledger.ReadByKey(IndexKey.Collection(Collection), 1, long.MaxValue, int.MaxValue);
        var records = new List<AccessRecord>(entries.Count);
        foreach (var entry in entries)
        {
            var write = EntryCodec.ReadWrite(entry);
            try
            {
                records.Add(AccessRecord.Parse(write.Contents));
            }
            catch (AccessFormatException exception)
            {
                throw new InvalidDataException($"The access record in transaction {write.Header.Id} is malformed: {exception.Message}", exception);
            }
        }

        Control.Replay(records);
    }

    /// <summary>
    /// Validates the changes as a whole, records them as one record, which applies all or
    /// nothing, and completes once it is committed, so that an answered change survives a crash;
    /// returns the record's transaction id.
    /// </summary>
    /// <exception cref="ApiException">A change does not apply to the current state (nothing is recorded).</exception>
    public async Task<TransactionId> ChangeAsync(IReadOnlyList<AccessChange> changes, CancellationToken cancellationToken)
    {
        var record = new AccessRecord(changes);
        TransactionId id;
        await _changes.WaitAsync(cancellationToken);
        try
        {
            if (Control.Validate(record.Changes) is { } rejection)
            {
                throw Refusal(rejection);
            }

            // Applied by the log's append hook, on this node as on every other. A caller that
            // gives up before the record is queued leaves nothing behind; once queued, it is appended.
            id = await _sequencer.AppendAsync(Collection, [], record.ToJson(), cancellationToken);
        }
        finally
        {
            _changes.Release();
        }

        await _sequencer.Commits.WaitCommittedAsync(id.Seqno, cancellationToken);
        return id;
    }

    private void ApplyIfAccessRecord(ReadOnlySpan<byte> entry)
    {
        if (EntryCodec.ReadHeader(entry).Kind != EntryKind.Write)
        {
            return;
        }

        var write = EntryCodec.ReadWrite(entry);
        if (write.CollectionId.SequenceEqual(CollectionUtf8))
        {
            Control.Apply(AccessRecord.Parse(write.Contents));
        }
    }

    private static ApiException Refusal(AccessRejection rejection) => rejection.Code switch
    {
        AccessRejectionCode.UserNotFound => new(StatusCodes.Status404NotFound, rejection.CodeName, rejection.Message),
        AccessRejectionCode.LastAdministrator or AccessRejectionCode.RoleInUse => new(StatusCodes.Status409Conflict, rejection.CodeName, rejection.Message),
        _ => new(StatusCodes.Status400BadRequest, rejection.CodeName, rejection.Message),
    };

    public void Dispose() => _changes.Dispose();
}
