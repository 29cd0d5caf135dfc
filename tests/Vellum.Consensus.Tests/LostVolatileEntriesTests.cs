using Vellum.Consensus.Tests.Support;

namespace Vellum.Consensus.Tests;

public sealed class LostVolatileEntriesTests
{
    [Fact]
    public void AFollowerThatLostUnflushedEntriesCatchesUpFromAnIdleLeader()
    {
        var cluster = new LocalCluster(3);
        cluster.Elect("n1");
        cluster.Propose("n1", Consensus.LogEntryKind.Signature);
        cluster.DeliverAll();

        // n3 receives three entries and acknowledges them as received, but its disk is slow.
        cluster.AutoFlush = false;
        cluster.Propose("n1");
        cluster.Propose("n1");
        cluster.Propose("n1", Consensus.LogEntryKind.Signature);
        cluster.DeliverAll();
        cluster.Flush("n1");
        cluster.Flush("n2");
        cluster.DeliverAll();
        Assert.Equal(4, cluster["n1"].CommitIndex);
        Assert.Equal(4, cluster.Log("n3").LastIndex);
        Assert.Equal(1, cluster.Log("n3").DurableIndex);

        cluster.CrashAndRestart("n3");
        Assert.Equal(1, cluster.Log("n3").LastIndex);
        cluster.AutoFlush = true;

        // The leader has nothing new to send: its heartbeats alone must bring n3 back.
        for (var i = 0; i < 30; i++)
        {
            cluster.Tick("n1");
            cluster.DeliverAll();
        }

        Assert.Equal(cluster.Terms("n1"), cluster.Terms("n3"));
        Assert.Equal(4, cluster["n3"].CommitIndex);
    }
}
