using Vellum.Storage;
using Vellum.Storage.Files;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// When a write or fsync fails the ledger stops, and the node must say so at once: a writer
/// waiting for commit fails, rather than waiting until some later write happens to meet the fault.
/// </summary>
public sealed class LedgerFaultTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AWriterWaitingForCommitFailsAtOnceWhenTheDiskFailsUnderAnOtherwiseIdleNode()
    {
        using var disk = new GatedFileSystem(new SimulatedFileSystem());
        var rig = await SequencerRig.OpenAsync(new LedgerOptions { Directory = "/ledger", FileSystem = disk });
        try
        {
            var first = await rig.AppendAsync("committed before the disk fails", waitForCommit: true);

            // The flush carrying the next write stalls, then fails: no other write follows it.
            disk.Close();
            var waiting = rig.AppendAsync("waits for a commit that cannot come", waitForCommit: true).AsTask();
            disk.Kill();

            var failure = await Assert.ThrowsAsync<NodeUnavailableException>(() => waiting.WaitAsync(Bound));
            Assert.Contains("ledger failed", failure.Message, StringComparison.Ordinal);
            Assert.NotNull(rig.Sequencer.Fault);
            Assert.True(rig.Sequencer.Commits.Committed.Seqno >= first.Seqno, "What committed before the failure stays committed.");
        }
        finally
        {
            // The "process" died with its disk: nothing is closed, as after a kill.
            rig.Abandon();
        }
    }
}
