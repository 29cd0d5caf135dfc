using Vellum.Core.Entries;
using Vellum.Storage;
using Vellum.Storage.Indexing;

namespace Vellum.Node.Replication;

// TEMPORARY until the storage truncation branch lands: stand-ins for Ledger members it adds.
internal static class LedgerShims
{
    public static long ViewAt(this Ledger ledger, long seqno) =>
        seqno == 0 ? 0 : EntryCodec.ReadHeader(ledger.ReadEntry(seqno)).Id.View;

    public static long LastSignatureAtOrBefore(this Ledger ledger, long seqno) =>
        ledger.FindLastByKey(IndexKey.Signatures, seqno) ?? 0;

    public static Task TruncateAfterAsync(this Ledger ledger, long seqno) =>
        seqno == ledger.LastSeqno ? Task.CompletedTask : throw new NotSupportedException("truncation is not there yet");
}
