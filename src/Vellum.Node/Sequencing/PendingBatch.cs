using Vellum.Core;

namespace Vellum.Node.Sequencing;

/// <summary>
/// Validated writes that the sequencer appends in order as one queue item, so that no other
/// request's write falls between them; signatures may. Completes with their transaction ids.
/// </summary>
internal sealed class PendingBatch : TaskCompletionSource<IReadOnlyList<TransactionId>>, ISequencerItem
{
    public PendingBatch(IReadOnlyList<BatchWrite> writes)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Invariant.Check(writes.Count > 0, "a batch holds at least one write");
        Writes = [.. writes.Select(write => new PendingWrite(write.CollectionId, write.Tags, write.ContentsUtf8))];
    }

    /// <summary>The writes in the order they are appended; only their contents are used, never their own completion.</summary>
    public IReadOnlyList<PendingWrite> Writes { get; }

    public int WriteCount => Writes.Count;

    public void Fail(Exception exception) => TrySetException(exception);
}
