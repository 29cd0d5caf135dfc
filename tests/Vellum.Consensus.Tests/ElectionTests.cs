using Vellum.Consensus.Messages;
using Vellum.Consensus.Tests.Support;

namespace Vellum.Consensus.Tests;

public sealed class ElectionTests
{
    [Fact]
    public void ACandidateWinsAPreVoteMajorityBeforeAnyTermChanges()
    {
        var cluster = new LocalCluster(3);
        cluster.Campaign("n1");
        Assert.Equal((RaftRole.PreCandidate, 0L), (cluster["n1"].Role, cluster["n1"].Term));
        Assert.All(cluster.InFlight, message => Assert.IsType<PreVoteRequest>(message));

        // Voters answer the pre-vote without changing term; their answers move n1 to term 1.
        cluster.DeliverRound();
        Assert.All(cluster.Ids, id => Assert.Equal(0, cluster[id].Term));
        cluster.DeliverRound();
        Assert.Equal((RaftRole.Candidate, 1L), (cluster["n1"].Role, cluster["n1"].Term));
        Assert.All(cluster.InFlight, message => Assert.IsType<VoteRequest>(message));

        cluster.DeliverAll();
        Assert.Equal((RaftRole.Leader, 1L), (cluster["n1"].Role, cluster["n1"].Term));
        Assert.True(cluster["n1"].NeedsSignature);
        Assert.All(cluster.Ids.Skip(1), id => Assert.Equal((RaftRole.Follower, new NodeId("n1")), (cluster[id].Role, cluster[id].LeaderId)));
        Assert.Equal(new NodeId("n1"), cluster.Store("n2").Load().VotedFor);
    }

    [Fact]
    public void ANodeCutOffFromTheOthersNeverRaisesItsTermAndDoesNotDisruptThemWhenItReturns()
    {
        var cluster = new LocalCluster(3);
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();

        cluster.Isolate("n3");
        for (var tick = 0; tick < 100; tick++)
        {
            cluster.TickAll();
            cluster.DeliverAll();
        }

        Assert.Equal(1, cluster["n3"].Term);
        Assert.Contains(cluster.Dropped, message => message is PreVoteRequest { From.Value: "n3" });
        Assert.DoesNotContain(cluster.Dropped, message => message is VoteRequest);

        cluster.Heal();
        for (var tick = 0; tick < 30; tick++)
        {
            cluster.TickAll();
            cluster.DeliverAll();
        }

        Assert.Equal((RaftRole.Leader, 1L), (cluster["n1"].Role, cluster["n1"].Term));
        Assert.Equal((RaftRole.Follower, new NodeId("n1")), (cluster["n3"].Role, cluster["n3"].LeaderId));
    }

    [Fact]
    public void AFollowerWithinItsLeaderLeaseRefusesADisruptiveCandidate()
    {
        var cluster = new LocalCluster(3);
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();

        // n3 cannot hear the leader but can reach n2, which can: n3 keeps asking, n2 keeps refusing.
        cluster.Cut("n1", "n3");
        cluster.Delivered.Clear();
        for (var tick = 0; tick < 60; tick++)
        {
            cluster.TickAll();
            cluster.DeliverAll();
        }

        Assert.Contains(cluster.Delivered, message => message is PreVoteResponse { From.Value: "n2", Granted: false });
        Assert.DoesNotContain(cluster.Delivered, message => message is PreVoteResponse { Granted: true } or VoteRequest);
        Assert.Equal((RaftRole.Leader, 1L), (cluster["n1"].Role, cluster["n1"].Term));
        Assert.Equal(1, cluster["n2"].Term);

        // Even a real vote request for a later term is ignored while the lease holds: no answer, no new term.
        cluster.InFlight.Clear();
        cluster.Deliver(new VoteRequest(new NodeId("n3"), new NodeId("n2"), 9, 100, 9));
        Assert.Empty(cluster.InFlight);
        Assert.Equal((1L, new NodeId("n1")), (cluster["n2"].Term, cluster["n2"].LeaderId));
    }

    [Fact]
    public void ALeaderThatHearsFromNoMajorityForAnElectionTimeoutStepsDown()
    {
        var cluster = new LocalCluster(3);
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();

        // With one follower still answering, the leader keeps its majority.
        cluster.Isolate("n3");
        for (var tick = 0; tick < 50; tick++)
        {
            cluster.Tick("n1");
            cluster.Tick("n2");
            cluster.DeliverAll();
        }

        Assert.Equal(RaftRole.Leader, cluster["n1"].Role);

        // With none, it stops within two election timeouts (the first check may still count answers from before the cut).
        cluster.Isolate("n1");
        cluster.TickAlone("n1", 20);
        Assert.Equal(RaftRole.Follower, cluster["n1"].Role);
        Assert.Null(cluster["n1"].LeaderId);
        Assert.Equal(1, cluster["n1"].Term);
        Assert.Equal(ProposeResult.NotLeader, cluster.Propose("n1", LogEntryKind.Data, out _));
    }

    [Fact]
    public void AVoterRefusesACandidateWhoseLastSignatureIsBehindItsOwn()
    {
        // n3 has more entries than n1, but its last signature is of an earlier term.
        var cluster = new LocalCluster(3);
        cluster.Replace("n1", TestLogs.Build((1, 2), (2, 2)), TestLogs.Term(2));
        cluster.Replace("n2", TestLogs.Build((1, 2), (2, 2)), TestLogs.Term(2));
        cluster.Replace("n3", TestLogs.Build((1, 10)), TestLogs.Term(2));

        cluster.Elect("n3");
        Assert.Equal((RaftRole.PreCandidate, 2L), (cluster["n3"].Role, cluster["n3"].Term));
        Assert.All(cluster.Delivered.OfType<PreVoteResponse>(), response => Assert.False(response.Granted));

        // A real vote request moves the voter to the new term but still gets no vote.
        cluster.Deliver(new VoteRequest(new NodeId("n3"), new NodeId("n1"), 3, 10, 1));
        var answer = Assert.IsType<VoteResponse>(Assert.Single(cluster.InFlight));
        Assert.False(answer.Granted);
        Assert.Equal(3, cluster["n1"].Term);
        Assert.Null(cluster.Store("n1").Load().VotedFor);

        cluster.InFlight.Clear();
        cluster.Elect("n1");
        Assert.Equal((RaftRole.Leader, 4L), (cluster["n1"].Role, cluster["n1"].Term));
    }
}
