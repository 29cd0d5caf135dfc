using Vellum.Core;

namespace Vellum.Node.Sequencing;

/// <summary>
/// Validated writes that the sequencer appends in order as one queue item, in one term, so that
/// no other request's write and no signature falls between them (unless the batch alone passes
/// the ledger's bound on unsigned bytes, when it is split, or refused if indivisible). Completes
/// with their transaction ids once the last is appended, or, if the writer waits for commit, once
/// commit reaches the last.
/// </summary>
internal sealed class PendingBatch : TaskCompletionSource<IReadOnlyList<TransactionId>>, ISequencerItem, ICommitWaiter
{
    private TransactionId[] _ids = [];

    public PendingBatch(IReadOnlyList<IEntryWrite> writes, bool waitsForCommit, bool indivisible)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Invariant.Check(writes.Count > 0, "a batch holds at least one write");
        Writes = writes;
        WaitsForCommit = waitsForCommit;
        Indivisible = indivisible;
    }

    /// <summary>Whether a batch too large for one run between signatures is refused rather than split.</summary>
    public bool Indivisible { get; }

    /// <summary>Whether the batch completes at the last write's commit rather than once appended.</summary>
    public bool WaitsForCommit { get; }

    /// <summary>The writes in the order they are appended.</summary>
    public IReadOnlyList<IEntryWrite> Writes { get; }

    public int WriteCount => Writes.Count;

    /// <summary>Every write was appended, as <paramref name="ids"/>: completes now, or at commit (see <see cref="PendingWrite.Appended"/>).</summary>
    public void Appended(TransactionId[] ids, CommitTracker commits)
    {
        if (!WaitsForCommit)
        {
            TrySetResult(ids);
            return;
        }

        _ids = ids;
        commits.Register(this, ids[^1].Seqno);
    }

    public void Committed() => TrySetResult(_ids);

    public void Fail(Exception exception) => TrySetException(exception);
}
