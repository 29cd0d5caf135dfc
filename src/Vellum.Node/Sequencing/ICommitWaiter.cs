namespace Vellum.Node.Sequencing;

/// <summary>Someone waiting in the <see cref="CommitTracker"/> for an entry to commit.</summary>
internal interface ICommitWaiter
{
    /// <summary>Commit reached the seqno waited for; the entry there may be another than the one appended, if that one was rolled back.</summary>
    void Committed();

    /// <summary>The ledger can no longer commit.</summary>
    void Fail(Exception exception);
}
