using Vellum.Core;

namespace Vellum.Node.Sequencing;

/// <summary>
/// A validated write waiting for the sequencer to give it a transaction id (contents made for
/// the seqno they get go in a batch, as a <see cref="ComputedWrite"/>). It completes with its
/// transaction id once appended, or, if its writer waits for commit, once commit reaches it.
/// </summary>
internal sealed class PendingWrite : TaskCompletionSource<TransactionId>, ISequencerItem, ICommitWaiter, IEntryWrite
{
    private readonly ReadOnlyMemory<byte> _contentsUtf8;
    private TransactionId _id;

    public PendingWrite(string collectionId, IReadOnlyList<string> tags, ReadOnlyMemory<byte> contentsUtf8, bool waitsForCommit = false)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        CollectionId = collectionId;
        Tags = tags;
        _contentsUtf8 = contentsUtf8;
        WaitsForCommit = waitsForCommit;
    }

    /// <summary>A marker the replica queues to wake the sequencer when leadership changes; it is not a write.</summary>
    public static PendingWrite Wake { get; } = new(string.Empty, [], ReadOnlyMemory<byte>.Empty);

    /// <summary>Whether the write completes at commit rather than once appended.</summary>
    public bool WaitsForCommit { get; }

    public string CollectionId { get; }

    public IReadOnlyList<string> Tags { get; }

    public int WriteCount => 1;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> ContentsAt(long seqno) => _contentsUtf8;

    /// <summary>
    /// The sequencer appended the write as <paramref name="id"/>: it completes now, or is handed
    /// to <paramref name="commits"/> to complete at commit, on the thread that commits it, so
    /// that its writer is woken once rather than at append and again at commit.
    /// </summary>
    public void Appended(TransactionId id, CommitTracker commits)
    {
        if (!WaitsForCommit)
        {
            TrySetResult(id);
            return;
        }

        _id = id;
        commits.Register(this, id.Seqno);
    }

    public void Committed() => TrySetResult(_id);

    public void Fail(Exception exception) => TrySetException(exception);
}
