using Vellum.Consensus.Messages;
using Vellum.Consensus.Tests.Support;

namespace Vellum.Consensus.Tests;

public sealed class DurabilityTests
{
    [Fact]
    public void AFollowerAcknowledgesOnlyWhatItHoldsDurably()
    {
        var cluster = new LocalCluster(3) { AutoFlush = false };
        cluster.Elect("n1");
        var signature = cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        Assert.All(cluster.Delivered.OfType<AppendEntriesResponse>(), response => Assert.Equal(0, response.DurableIndex));

        // Received everywhere, durable only on the leader: nothing commits.
        cluster.Flush("n1");
        cluster.DeliverAll();
        Assert.Equal(1, cluster.Log("n2").LastIndex);
        Assert.Equal(0, cluster["n1"].CommitIndex);
        Assert.Equal(CommitStatus.Pending, cluster["n1"].StatusOf(1, signature));

        // n2's flush completes: its report makes a majority, and the signature commits.
        cluster.Flush("n2");
        var report = Assert.IsType<AppendEntriesResponse>(Assert.Single(cluster.InFlight));
        Assert.Equal((1L, 1L), (report.MatchIndex, report.DurableIndex));
        cluster.DeliverAll();
        Assert.Equal(signature, cluster["n1"].CommitIndex);
        Assert.Equal(0, cluster["n1"].DurableIndexOf(new NodeId("n3")));
    }

    [Fact]
    public void AFollowerThatLostItsOwnElectionReportsDurabilityToTheWinner()
    {
        var cluster = new LocalCluster(3);
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.Propose("n1");
        cluster.Propose("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.Propose("n1");
        cluster.DeliverAll();
        Assert.Equal(5, cluster.Log("n2").DurableIndex);

        // n1 loses touch and steps down; n2 and n3 both campaign in term 2, and n3 wins with n1's vote.
        cluster.Isolate("n1");
        cluster.TickAlone("n1", 25);
        cluster.TickAlone("n2", 10);
        cluster.TickAlone("n3", 10);
        cluster.Heal();
        cluster.Cut("n1", "n2");
        cluster.AutoFlush = false;
        cluster.Campaign("n2");
        cluster.Campaign("n3");
        cluster.DeliverAll();
        Assert.Equal((RaftRole.Leader, 2L), (cluster["n3"].Role, cluster["n3"].Term));
        Assert.Equal((RaftRole.Follower, 2L), (cluster["n2"].Role, cluster["n2"].Term));

        // Both rolled back the unsigned entry 5; the new leader signs at 5 in term 2.
        cluster.Propose("n3", LogEntryKind.Signature);
        cluster.DeliverAll();
        Assert.Equal((5L, 4L), (cluster.Log("n2").LastIndex, cluster.Log("n2").DurableIndex));
        cluster.InFlight.Clear();

        cluster.Flush("n2");
        var report = Assert.IsType<AppendEntriesResponse>(Assert.Single(cluster.InFlight));
        Assert.Equal(5, report.DurableIndex);
    }
}
