using Vellum.Consensus.Tests.Support;

namespace Vellum.Consensus.Tests;

public sealed class MembershipTests
{
    private static readonly NodeId N1 = new("n1");
    private static readonly NodeId J1 = new("j1");
    private static readonly NodeId N4 = new("n4");

    [Fact]
    public void ALearnerCatchesUpWithoutCountingAndIsPromotedOnceItHasTheLog()
    {
        var cluster = new LocalCluster(3, null, "j1");
        cluster.Elect("n1");
        var leader = cluster["n1"];
        Assert.Equal(ProposeResult.ConfigurationChangeNotAllowed, cluster.Propose("n1", LogEntryKind.Configuration, out _, leader.Configuration.WithLearner(J1)));
        cluster.Propose("n1", LogEntryKind.Signature);
        for (var i = 0; i < 20; i++)
        {
            cluster.Propose("n1");
        }

        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();

        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out var added, leader.Configuration.WithLearner(J1)));
        Assert.Contains(J1, leader.Configuration.Learners);
        Assert.Equal(2, leader.Configuration.Quorum);
        Assert.Equal(ProposeResult.ConfigurationChangeNotAllowed, cluster.Propose("n1", LogEntryKind.Configuration, out _, leader.Configuration.WithVoter(J1)));

        // The learner is cut off: the entry adding it still commits with the voters alone.
        cluster.Isolate("j1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        Assert.True(leader.CommitIndex > added);
        Assert.Equal(0, leader.DurableIndexOf(J1));

        cluster.Heal();
        cluster.Tick("n1");
        cluster.DeliverAll();
        Assert.Equal(cluster.Terms("n1"), cluster.Terms("j1"));
        Assert.Equal(leader.CommitIndex, cluster["j1"].CommitIndex);
        Assert.True(leader.DurableIndexOf(J1) >= leader.CommitIndex);
        Assert.Equal(RaftRole.Follower, cluster["j1"].Role);

        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out _, leader.Configuration.WithVoter(J1)));
        Assert.Equal(3, leader.Configuration.Quorum);
        Assert.Equal(4, leader.Configuration.Voters.Count);
    }

    [Fact]
    public void AChangeMovesOneVoterAtATimeAndWaitsForTheLastOneToCommit()
    {
        var cluster = new LocalCluster(3, null, "j1", "j2");
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        var configuration = cluster["n1"].Configuration;

        Assert.Equal(ProposeResult.ConfigurationChangeNotAllowed, cluster.Propose("n1", LogEntryKind.Configuration, out _, configuration.WithVoter(J1).WithVoter(new NodeId("j2"))));
        Assert.Equal(ProposeResult.ConfigurationChangeNotAllowed, cluster.Propose("n1", LogEntryKind.Configuration, out _, configuration.Without(N1).WithVoter(J1)));
        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out _, configuration.WithLearner(J1)));
        Assert.Equal(ProposeResult.ConfigurationChangeNotAllowed, cluster.Propose("n1", LogEntryKind.Configuration, out _, cluster["n1"].Configuration.WithLearner(new NodeId("j2"))));
    }

    [Fact]
    public void ANewLeaderChangesMembershipOnlyAfterCommittingInItsOwnTerm()
    {
        var cluster = new LocalCluster(3, null, "j1");
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();

        cluster.Isolate("n1");
        cluster.TickAlone("n2", 10);
        cluster.TickAlone("n3", 10);
        cluster.Elect("n2");
        var leader = cluster["n2"];
        Assert.Equal((RaftRole.Leader, 2L), (leader.Role, leader.Term));
        Assert.Equal(1, cluster.Log("n2").LastSignatureAtOrBefore(1));
        Assert.Equal(ProposeResult.ConfigurationChangeNotAllowed, cluster.Propose("n2", LogEntryKind.Configuration, out _, leader.Configuration.WithLearner(J1)));

        cluster.Propose("n2", LogEntryKind.Signature);
        cluster.DeliverAll();
        Assert.Equal(2, leader.CommitIndex);
        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n2", LogEntryKind.Configuration, out _, leader.Configuration.WithLearner(J1)));
    }

    [Fact]
    public void ARemovedLeaderStepsDownOnceItsRemovalCommitsAndNeverCampaigns()
    {
        var cluster = new LocalCluster(4);
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        var leader = cluster["n1"];

        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out var removal, leader.Configuration.Without(N1)));
        Assert.Equal(RaftRole.Leader, leader.Role);
        Assert.False(leader.Configuration.IsVoter(N1));

        // Until a signature after it commits, the removed leader still leads, counting only the
        // others: n2 and n3 are a majority of the three voters left.
        cluster.Isolate("n4");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        Assert.Equal(removal + 1, leader.CommitIndex);
        Assert.Equal(RaftRole.Follower, leader.Role);
        Assert.Equal(removal + 1, cluster["n2"].CommitIndex);

        cluster.Heal();
        string[] remaining = ["n2", "n3", "n4"];
        for (var tick = 0; tick < 60 && remaining.All(id => cluster[id].Role != RaftRole.Leader); tick++)
        {
            cluster.TickAll();
            cluster.DeliverAll();
        }

        Assert.Single(remaining, id => cluster[id].Role == RaftRole.Leader);
        Assert.Equal(RaftRole.Follower, leader.Role);
        Assert.Equal(1, leader.Term);
    }

    [Fact]
    public void ALearnerPromotedByAnUnsignedEntryDoesNotCampaign()
    {
        var cluster = new LocalCluster(3, null, "j1");
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out _, cluster["n1"].Configuration.WithLearner(J1)));
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();

        // The promotion reaches everyone, but no signature follows it: a new term rolls it back.
        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out _, cluster["n1"].Configuration.WithVoter(J1)));
        cluster.DeliverAll();
        Assert.True(cluster["j1"].Configuration.IsVoter(J1));

        cluster.Isolate("n1");
        cluster.TickAlone("n2", 10);
        cluster.TickAlone("n3", 10);
        cluster.Campaign("j1");
        cluster.DeliverAll();
        Assert.NotEqual(RaftRole.Leader, cluster["j1"].Role);
        Assert.Equal(1, cluster["j1"].Term);

        cluster.Elect("n2");
        Assert.Equal(RaftRole.Leader, cluster["n2"].Role);
        Assert.False(cluster["n2"].Configuration.IsVoter(J1));
        Assert.False(cluster["j1"].Configuration.IsVoter(J1));
    }

    [Fact]
    public void ARemovedFollowerIsSentTheLogUntilItHoldsItsCommittedRemovalAndThenNothing()
    {
        var cluster = new LocalCluster(4);
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        var leader = cluster["n1"];

        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out var removal, leader.Configuration.Without(N4)));
        var signature = cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        Assert.Equal(signature, leader.CommitIndex);
        Assert.Equal([N4], leader.DepartingNodes);

        // The next heartbeat carries the commit index past the removal to the removed node.
        cluster.Tick("n1");
        cluster.DeliverAll();
        var removed = cluster["n4"];
        Assert.False(removed.Configuration.Contains(N4));
        Assert.Equal(removal, removed.ConfigurationIndex);
        Assert.Equal(signature, removed.CommitIndex);

        // Two check-quorum periods later (the first sees it hold the removal), the leader lets it go.
        for (var tick = 0; tick < 20; tick++)
        {
            cluster.TickAll();
            cluster.DeliverAll();
        }

        Assert.Empty(leader.DepartingNodes);
        var sentBefore = cluster.Delivered.Count(message => message.To == N4);
        for (var tick = 0; tick < 40; tick++)
        {
            cluster.TickAll();
            cluster.DeliverAll();
        }

        Assert.Equal(sentBefore, cluster.Delivered.Count(message => message.To == N4));
        Assert.DoesNotContain(cluster.Delivered, message => message.From == N4 && message is Messages.PreVoteRequest);
        Assert.Equal(RaftRole.Leader, leader.Role);
        Assert.Equal(1, leader.Term);
    }

    [Fact]
    public void ARemovedFollowerThatDoesNotAnswerIsLetGoAtTheNextCheck()
    {
        var cluster = new LocalCluster(4);
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        var leader = cluster["n1"];
        cluster.Isolate("n4");

        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out _, leader.Configuration.Without(N4)));
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        Assert.Equal([N4], leader.DepartingNodes);

        // The removal's own check period may have begun before n4 went quiet; the one after cannot.
        for (var tick = 0; tick < 20; tick++)
        {
            cluster.Tick("n1");
            cluster.DeliverAll();
        }

        Assert.Empty(leader.DepartingNodes);
        Assert.Equal(RaftRole.Leader, leader.Role);
    }

    [Fact]
    public void ANodeRemovedAndAddedAgainIsAMemberAgainNotDeparting()
    {
        var cluster = new LocalCluster(4);
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        var leader = cluster["n1"];

        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out _, leader.Configuration.Without(N4)));
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out _, leader.Configuration.WithLearner(N4)));
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();

        Assert.Empty(leader.DepartingNodes);
        for (var tick = 0; tick < 40; tick++)
        {
            cluster.TickAll();
            cluster.DeliverAll();
        }

        Assert.Contains(N4, cluster["n4"].Configuration.Learners);
        Assert.Equal(leader.CommitIndex, cluster["n4"].CommitIndex);
        Assert.True(leader.DurableIndexOf(N4) >= leader.CommitIndex);
    }

    [Fact]
    public void ARemovedNodeThatMissedItsRemovalIsToldOfItWhenItAsksForAPreVote()
    {
        var cluster = new LocalCluster(4);
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        var leader = cluster["n1"];

        // n4 is cut off throughout its removal, and the leader lets it go.
        cluster.Isolate("n4");
        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out var removal, leader.Configuration.Without(N4)));
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        for (var tick = 0; tick < 20; tick++)
        {
            cluster.TickAll();
            cluster.DeliverAll();
        }

        Assert.Empty(leader.DepartingNodes);
        Assert.True(cluster["n4"].Configuration.IsVoter(N4));

        // Back, it believes it is a voter and campaigns; its pre-vote makes the leader send it the log.
        cluster.Heal();
        for (var tick = 0; tick < 30 && cluster["n4"].CommitIndex < removal; tick++)
        {
            cluster.TickAll();
            cluster.DeliverAll();
        }

        Assert.Contains(cluster.Delivered, message => message.From == N4 && message is Messages.PreVoteRequest);
        Assert.False(cluster["n4"].Configuration.Contains(N4));
        Assert.True(cluster["n4"].CommitIndex >= removal);
        Assert.Equal((RaftRole.Leader, 1L), (leader.Role, leader.Term));
        Assert.All(cluster.Ids, id => Assert.Equal(1, cluster[id].Term));
    }

    [Fact]
    public void ALeaderDeposedBeforeItsRemovalCommittedLearnsTheOutcomeFromItsSuccessor()
    {
        var cluster = new LocalCluster(4);
        cluster.Elect("n1");
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll();
        var removed = cluster["n1"];

        // The removal and its signature reach everyone, but no answer reaches n1, so it never commits them.
        Assert.Equal(ProposeResult.Accepted, cluster.Propose("n1", LogEntryKind.Configuration, out var removal, removed.Configuration.Without(N1)));
        cluster.Propose("n1", LogEntryKind.Signature);
        cluster.DeliverAll(keep: message => message.To != N1);
        Assert.True(removed.CommitIndex < removal);

        cluster.Isolate("n1");
        cluster.TickAlone("n1", 30);
        Assert.Equal(RaftRole.Follower, removed.Role);
        cluster.TickAlone("n3", 10);
        cluster.TickAlone("n4", 10);
        cluster.Elect("n2");
        Assert.Equal(RaftRole.Leader, cluster["n2"].Role);
        Assert.Equal([N1], cluster["n2"].DepartingNodes);

        cluster.Heal();
        cluster.Propose("n2", LogEntryKind.Signature);
        for (var tick = 0; tick < 10 && removed.CommitIndex < removal; tick++)
        {
            cluster.Tick("n2");
            cluster.DeliverAll();
        }

        Assert.True(removed.CommitIndex > removal);
        Assert.False(removed.Configuration.Contains(N1));
        Assert.Equal(cluster["n2"].Term, removed.Term);
    }
}
