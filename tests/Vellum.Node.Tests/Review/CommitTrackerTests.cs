using Vellum.Core;
using Vellum.Node.Sequencing;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// A write that waits for commit is handed to the commit tracker by the sequencer once appended;
/// it completes with its id when commit reaches it, and fails if the ledger can no longer commit.
/// </summary>
public sealed class CommitTrackerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AWaitingWriteCompletesWithItsIdOnlyOnceCommitReachesIt()
    {
        var commits = new CommitTracker(default);
        var write = new PendingWrite("subledger:0", [], new byte[] { 1 }, waitsForCommit: true);
        var id = new TransactionId(2, 5);

        write.Appended(id, commits);
        commits.Advance(new TransactionId(2, 4));
        Assert.False(write.Task.IsCompleted, "commit reached seqno 4, yet the write at 5 completed");

        commits.Advance(new TransactionId(2, 6));
        Assert.Equal(id, await write.Task.WaitAsync(Bound));
        Assert.Equal(5, commits.HighestAwaited);
    }

    [Fact]
    public async Task AWriteThatDoesNotWaitCompletesWhenAppendedAndIsNotAwaited()
    {
        var commits = new CommitTracker(default);
        var write = new PendingWrite("subledger:0", [], new byte[] { 1 });

        write.Appended(new TransactionId(2, 5), commits);

        Assert.Equal(new TransactionId(2, 5), await write.Task.WaitAsync(Bound));
        Assert.Equal(0, commits.HighestAwaited);
    }

    [Fact]
    public async Task WaitingWritesFailWhenTheLedgerCanNoLongerCommitAndSoDoThoseRegisteredAfter()
    {
        var commits = new CommitTracker(default);
        var before = new PendingWrite("subledger:0", [], new byte[] { 1 }, waitsForCommit: true);
        before.Appended(new TransactionId(2, 5), commits);

        commits.Fail(new NodeUnavailableException("the ledger failed"));
        var after = new PendingBatch([new BatchWrite("subledger:0", [], new byte[] { 2 })], waitsForCommit: true, indivisible: false);
        after.Appended([new TransactionId(2, 6)], commits);

        await Assert.ThrowsAsync<NodeUnavailableException>(() => before.Task.WaitAsync(Bound));
        await Assert.ThrowsAsync<NodeUnavailableException>(() => after.Task.WaitAsync(Bound));
    }
}
