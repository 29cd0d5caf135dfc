namespace Vellum.Node.Sequencing;

/// <summary>Someone waiting in the <see cref="CommitTracker"/> for an entry to commit.</summary>
internal interface ICommitWaiter
{
    /// <summary>The entry waited for is committed.</summary>
    void Committed();

    /// <summary>The ledger can no longer commit.</summary>
    void Fail(Exception exception);
}
