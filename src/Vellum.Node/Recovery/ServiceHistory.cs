using System.Collections.Immutable;
using Vellum.Core.Entries;
using Vellum.Node.Replication;
using Vellum.Storage;
using Vellum.Storage.Indexing;

namespace Vellum.Node.Recovery;

/// <summary>
/// The ledger's changes of service identity (<see cref="ServiceRecord"/>), tracked on every node
/// like the consortium: applied on append, replayed at start and after a rollback. A receipt for a
/// transaction signed before a recovery carries the endorsements of every recovery since, oldest
/// first, so that its node certificate chains to the current service certificate.
/// </summary>
internal sealed class ServiceHistory
{
    private static readonly byte[] CollectionUtf8 = System.Text.Encoding.UTF8.GetBytes(ServiceRecord.Collection);

    private readonly Ledger _ledger;
    private ImmutableList<ServiceRecord> _records = [];

    public ServiceHistory(Ledger ledger, LedgerRaftLog log)
    {
        _ledger = ledger;
        log.ServiceRecordAppended += (_, entry) => ApplyIfServiceRecord(entry.Span);
        log.Truncated += _ => Replay();
    }

    /// <summary>Every change of service identity in the log, in ledger order.</summary>
    public IReadOnlyList<ServiceRecord> Records => Volatile.Read(ref _records);

    /// <summary>Rebuilds the history from the ledger's service records.</summary>
    /// <exception cref="InvalidDataException">A record is malformed: the ledger is corrupt.</exception>
    public void Replay()
    {
        var records = ImmutableList.CreateBuilder<ServiceRecord>();
        foreach (var entry in _ledger.ReadByKey(IndexKey.Collection(ServiceRecord.Collection), 1, long.MaxValue, int.MaxValue))
        {
            var write = EntryCodec.ReadWrite(entry);
            records.Add(ServiceRecord.Parse(write.Contents, write.Header.Id));
        }

        Volatile.Write(ref _records, records.ToImmutable());
    }

    /// <summary>Whether a record names <paramref name="serviceCertificatePem"/> as the recovered service.</summary>
    public bool Recorded(string serviceCertificatePem) =>
        Records.Any(record => record.ServiceCertificate == serviceCertificatePem);

    /// <summary>
    /// The <c>serviceEndorsements</c> of a receipt whose signature transaction is at
    /// <paramref name="signatureSeqno"/>: the endorsement of each recovery after it, oldest first;
    /// none for a transaction signed by the current service.
    /// </summary>
    public IReadOnlyList<string> EndorsementsFor(long signatureSeqno) =>
        Core.Recovery.ServiceChange.EndorsementsFor(Records.Select(record => record.Change), signatureSeqno);

    private void ApplyIfServiceRecord(ReadOnlySpan<byte> entry)
    {
        if (EntryCodec.ReadHeader(entry).Kind != EntryKind.Write)
        {
            return;
        }

        var write = EntryCodec.ReadWrite(entry);
        if (write.CollectionId.SequenceEqual(CollectionUtf8))
        {
            var record = ServiceRecord.Parse(write.Contents, write.Header.Id);
            ImmutableInterlocked.Update(ref _records, records => records.Add(record));
        }
    }
}
