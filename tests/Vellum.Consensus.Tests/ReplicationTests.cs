using Vellum.Consensus.Messages;
using Vellum.Consensus.Tests.Support;

namespace Vellum.Consensus.Tests;

public sealed class ReplicationTests
{
    [Fact]
    public void FastBackTrackingSkipsALongDivergentSuffixInOneRoundTrip()
    {
        // n1 and n2 went on in term 3 after entry 10; n3 wrote 200 entries alone in term 2.
        var cluster = new LocalCluster(3);
        cluster.Replace("n1", TestLogs.Build((1, 10), (3, 10)), TestLogs.Term(3));
        cluster.Replace("n2", TestLogs.Build((1, 10), (3, 10)), TestLogs.Term(3));
        cluster.Replace("n3", TestLogs.Build((1, 10), (2, 200)), TestLogs.Term(2));

        cluster.Elect("n1");
        Assert.Equal((RaftRole.Leader, 4L), (cluster["n1"].Role, cluster["n1"].Term));
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();

        Assert.Equal(cluster.Terms("n1"), cluster.Terms("n3"));
        var rejections = cluster.Delivered.OfType<AppendEntriesResponse>().Count(response => response.From.Value == "n3" && !response.Success);
        Assert.Equal(1, rejections);
        cluster.Tick("n1");
        cluster.DeliverAll();
        Assert.Equal(21, cluster["n3"].CommitIndex);
        Assert.Equal(CommitStatus.Invalid, cluster["n3"].StatusOf(2, 100));
    }

    [Fact]
    public void ANewLeaderDoesNotCommitASignatureOfAnEarlierTermThoughAMajorityHoldsItDurably()
    {
        // Raft's figure 8 with signatures. n1 signed entry 3 in term 2 and reached only n2; n5 won
        // term 3 and signed entry 2 alone.
        var cluster = Figure8();

        // n1 wins term 4 with n2 and n3 and brings n3 its term-2 signature, which is now durable
        // on a majority of five. It has not signed in term 4 yet.
        cluster.Isolate("n4");
        cluster.Isolate("n5");
        cluster.Elect("n1");
        var leader = cluster["n1"];
        Assert.Equal((RaftRole.Leader, 4L), (leader.Role, leader.Term));
        Assert.Equal(3, cluster.Log("n3").DurableIndex);
        Assert.Equal(3, leader.DurableIndexOf(new NodeId("n3")));
        Assert.Equal(0, leader.CommitIndex);
        Assert.Equal(CommitStatus.Pending, leader.StatusOf(2, 3));

        // Rightly so: without n1 and n2, n5's later signature wins the votes of n3 and n4 (its
        // first pre-vote only teaches it term 4) and replaces entries 2 and 3.
        cluster.Heal();
        cluster.Isolate("n1");
        cluster.Isolate("n2");
        cluster.TickAlone("n3", 10);
        cluster.Elect("n5");
        cluster.Elect("n5");
        Assert.Equal((RaftRole.Leader, 5L), (cluster["n5"].Role, cluster["n5"].Term));
        cluster.Propose("n5", LogEntryKind.Signature);
        cluster.DeliverAll();
        Assert.Equal(3, cluster["n5"].CommitIndex);
        Assert.Equal(CommitStatus.Committed, cluster["n5"].StatusOf(3, 2));
        Assert.Equal(CommitStatus.Invalid, cluster["n5"].StatusOf(2, 3));
        Assert.Equal([1L, 3L, 5L], cluster.Terms("n3"));
    }

    [Fact]
    public void ANewLeadersOwnSignatureCommitsWhatItInherited()
    {
        var cluster = Figure8();
        cluster.Elect("n1");
        var leader = cluster["n1"];
        Assert.True(leader.NeedsSignature);

        var signature = cluster.Propose("n1", LogEntryKind.Signature);
        Assert.False(leader.NeedsSignature);
        cluster.DeliverAll();
        Assert.Equal(4, signature);
        Assert.Equal(signature, leader.CommitIndex);
        Assert.Equal(CommitStatus.Committed, leader.StatusOf(2, 3));
        Assert.Equal(CommitStatus.Invalid, leader.StatusOf(3, 2));
    }

    /// <summary>Five nodes in term 3: n1 and n2 hold a term-2 signature at 3, n5 a term-3 signature at 2, n3 and n4 only entry 1.</summary>
    private static LocalCluster Figure8()
    {
        var cluster = new LocalCluster(5);
        cluster.Replace("n1", TestLogs.Build((1, 1), (2, 2)), TestLogs.Term(3));
        cluster.Replace("n2", TestLogs.Build((1, 1), (2, 2)), TestLogs.Term(3));
        cluster.Replace("n3", TestLogs.Build((1, 1)), TestLogs.Term(3));
        cluster.Replace("n4", TestLogs.Build((1, 1)), TestLogs.Term(3));
        cluster.Replace("n5", TestLogs.Build((1, 1), (3, 1)), TestLogs.Term(3));
        return cluster;
    }
}
