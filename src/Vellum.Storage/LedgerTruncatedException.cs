namespace Vellum.Storage;

/// <summary>
/// A wait for an entry failed because <see cref="Ledger.TruncateAfterAsync"/> removed the entry:
/// whatever now has its seqno is another entry.
/// </summary>
public sealed class LedgerTruncatedException : InvalidOperationException
{
    /// <summary>Creates the exception for the wait on <paramref name="seqno"/>, cut off by a truncation that kept entries up to <paramref name="lastSeqnoKept"/>.</summary>
    public LedgerTruncatedException(long seqno, long lastSeqnoKept)
        : base($"Entry {seqno} was removed by a truncation that kept the entries up to {lastSeqnoKept}.")
    {
        Seqno = seqno;
        LastSeqnoKept = lastSeqnoKept;
    }

    /// <summary>The seqno waited for.</summary>
    public long Seqno { get; }

    /// <summary>The last seqno the truncation kept.</summary>
    public long LastSeqnoKept { get; }
}
