using Vellum.Consensus.InMemory;
using Vellum.Consensus.Messages;

namespace Vellum.Consensus.Tests;

public sealed class SingleNodeTests
{
    private static readonly NodeId Solo = new("solo");

    [Fact]
    public void AOneNodeClusterLeadsAtOnceAndOwesASignature()
    {
        var node = new RaftNode(Solo, ClusterConfiguration.OfVoters(Solo), new InMemoryRaftLog(), new InMemoryHardStateStore(), new Random(1));
        node.Campaign();
        Assert.Equal(RaftRole.Leader, node.Role);
        Assert.Equal(1, node.Term);
        Assert.True(node.NeedsSignature);
    }

    [Fact]
    public void ASignatureCommitsOnlyOnceDurable()
    {
        var log = new InMemoryRaftLog();
        var node = new RaftNode(Solo, ClusterConfiguration.OfVoters(Solo), log, new InMemoryHardStateStore(), new Random(1));
        node.Campaign();
        Assert.Equal(ProposeResult.Accepted, node.Propose(new ReplicatedEntry(1, LogEntryKind.Data, new byte[] { 1 }), out var data));
        Assert.Equal(ProposeResult.Accepted, node.Propose(new ReplicatedEntry(1, LogEntryKind.Signature, new byte[] { 2 }), out var signature));
        Assert.Equal((1, 2), (data, signature));
        Assert.False(node.NeedsSignature);
        Assert.Equal(0, node.CommitIndex);
        Assert.Equal(CommitStatus.Pending, node.StatusOf(1, 1));

        Assert.True(log.FlushNow());
        node.LogDurabilityAdvanced();
        Assert.Equal(2, node.CommitIndex);
        Assert.Equal(CommitStatus.Committed, node.StatusOf(1, 1));
        Assert.Equal(CommitStatus.Invalid, node.StatusOf(2, 1));
    }

    [Fact]
    public void ARestartedNodeRollsBackItsUnsignedTailAndLeadsInALaterTerm()
    {
        var log = new InMemoryRaftLog();
        var store = new InMemoryHardStateStore();
        var node = new RaftNode(Solo, ClusterConfiguration.OfVoters(Solo), log, store, new Random(1));
        node.Campaign();
        node.Propose(new ReplicatedEntry(1, LogEntryKind.Signature, new byte[] { 1 }), out _);
        node.Propose(new ReplicatedEntry(1, LogEntryKind.Data, new byte[] { 2 }), out _);
        log.FlushNow();

        var restarted = new RaftNode(Solo, ClusterConfiguration.OfVoters(Solo), log, store, new Random(2));
        Assert.Equal(CommitStatus.Pending, restarted.StatusOf(1, 2));
        restarted.Campaign();
        Assert.Equal(RaftRole.Leader, restarted.Role);
        Assert.Equal(2, restarted.Term);
        Assert.Equal(1, log.LastIndex);
        Assert.Equal(CommitStatus.Unknown, restarted.StatusOf(1, 2));
        restarted.Propose(new ReplicatedEntry(2, LogEntryKind.Signature, new byte[] { 3 }), out _);
        log.FlushNow();
        restarted.LogDurabilityAdvanced();
        Assert.Equal(CommitStatus.Invalid, restarted.StatusOf(1, 2));
        Assert.Equal(CommitStatus.Committed, restarted.StatusOf(1, 1));
    }

    [Fact]
    public void AFollowerRefusesProposals()
    {
        var node = new RaftNode(Solo, ClusterConfiguration.OfVoters(Solo, new NodeId("other")), new InMemoryRaftLog(), new InMemoryHardStateStore(), new Random(1));
        Assert.Equal(ProposeResult.NotLeader, node.Propose(new ReplicatedEntry(1, LogEntryKind.Data, new byte[] { 1 }), out _));
        var messages = new List<RaftMessage>();
        node.Campaign();
        node.TakeMessages(messages);
        Assert.IsType<PreVoteRequest>(Assert.Single(messages));
        Assert.Equal(RaftRole.PreCandidate, node.Role);
    }

    [Fact]
    public void ARestartedNodeTakesUpItsSavedCommitOnlyAsFarAsItsDurableLogHasASignature()
    {
        var log = new InMemoryRaftLog();
        var store = new InMemoryHardStateStore();
        var node = new RaftNode(Solo, ClusterConfiguration.OfVoters(Solo), log, store, new Random(1));
        node.Campaign();
        node.Propose(new ReplicatedEntry(1, LogEntryKind.Data, new byte[] { 1 }), out _);
        node.Propose(new ReplicatedEntry(1, LogEntryKind.Signature, new byte[] { 2 }), out _);
        node.Propose(new ReplicatedEntry(1, LogEntryKind.Data, new byte[] { 3 }), out _);
        log.FlushNow();
        node.LogDurabilityAdvanced();
        Assert.Equal(2, node.CommitIndex);

        var restarted = new RaftNode(Solo, ClusterConfiguration.OfVoters(Solo), log, store, new Random(2));
        Assert.Equal(0, restarted.CommitIndex);
        restarted.RestoreCommitIndex(7);
        Assert.Equal(2, restarted.CommitIndex);
        Assert.Equal(CommitStatus.Committed, restarted.StatusOf(1, 1));
        Assert.Equal(CommitStatus.Pending, restarted.StatusOf(1, 3));

        restarted.RestoreCommitIndex(1);
        Assert.Equal(2, restarted.CommitIndex);
        Assert.Throws<ArgumentOutOfRangeException>(() => restarted.RestoreCommitIndex(-1));
    }
}
