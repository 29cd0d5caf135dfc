using Vellum.Core;
using Vellum.Core.Encryption;
using Vellum.Core.Entries;
using Vellum.Node.Api;
using Vellum.Storage;
using Vellum.Storage.Indexing;

namespace Vellum.Node.Governance;

/// <summary>
/// The ledger secret records of a private ledger, in the reserved public collection
/// <c>vellum:secrets</c> (docs/storage-format.md, "Ledger secret records"). Disaster recovery
/// reads them with <see cref="Read"/> and unwinds them with <see cref="LedgerSecretChain.Unwind"/>.
/// </summary>
public static class LedgerSecretRecords
{
    /// <summary>The reserved collection the records are written to.</summary>
    public const string Collection = LedgerEntryInput.ReservedCollectionPrefix + "secrets";

    private static readonly byte[] CollectionUtf8 = System.Text.Encoding.UTF8.GetBytes(Collection);

    /// <summary>
    /// The records of <paramref name="ledger"/> up to seqno <paramref name="toSeqno"/>, in ledger
    /// order, found through the collection index, each checked for form and for where it starts
    /// (version 0 at seqno 1, a later version at its own seqno + 1).
    /// </summary>
    /// <exception cref="InvalidDataException">A record is malformed or names the wrong start: the ledger is corrupt.</exception>
    public static IReadOnlyList<LedgerSecretRecord> Read(Ledger ledger, long toSeqno = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var records = new List<LedgerSecretRecord>();
        foreach (var entry in ledger.ReadByKey(IndexKey.Collection(Collection), 1, toSeqno, int.MaxValue))
        {
            records.Add(ParseIfRecord(entry)?.Record ?? throw new InvalidDataException("The index lists an entry as a ledger secret record, but it is not one."));
        }

        return records;
    }

    /// <summary>The record an entry holds with its transaction id, or null when the entry is not a write to <see cref="Collection"/>.</summary>
    /// <exception cref="InvalidDataException">The record is malformed or names the wrong start.</exception>
    internal static (TransactionId Id, LedgerSecretRecord Record)? ParseIfRecord(ReadOnlySpan<byte> entry)
    {
        if (EntryCodec.ReadHeader(entry).Kind != EntryKind.Write)
        {
            return null;
        }

        var write = EntryCodec.ReadWrite(entry);
        if (!write.CollectionId.SequenceEqual(CollectionUtf8))
        {
            return null;
        }

        var id = write.Header.Id;
        var record = LedgerSecretRecord.Parse(write.Contents);
        var start = record.Version == 0 ? 1 : id.Seqno + 1;
        return record.StartSeqno == start
            ? (id, record)
            : throw new InvalidDataException($"The ledger secret record of version {record.Version} in transaction {id} names seqno {record.StartSeqno} as its start, not {start}.");
    }
}
