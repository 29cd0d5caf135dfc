using Vellum.Node.Tests.Governance;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Cluster;

/// <summary>
/// A rekey on a private three-node cluster: every node learns the new secret from its record as
/// it replicates, so each reads the entries of both versions, as does a node restarted after the
/// rekey and a node that joins after it.
/// </summary>
public sealed class RekeyClusterTests
{
    [Fact]
    public async Task EveryNodeARestartedNodeAndANodeJoiningAfterARekeyReadEveryEntry()
    {
        await using var cluster = await LocalCluster.StartAsync(3, LedgerType.Private);
        using var member = TestCertificates.FirstMember(cluster.Options[0].DataDirectory);
        var primary = cluster.Leader()!;
        var entries = new List<(long Seqno, string Contents)>();
        var admin = cluster.Client(primary);
        entries.Add((Rekeying.Seqno(await TestNode.AppendAsync(admin, "before the rekey", "payments", waitForCommit: true)), "before the rekey"));

        await Rekeying.RekeyAsync(cluster.Client(primary, certificate: member), primary, expectedVersions: 2);
        entries.Add((Rekeying.Seqno(await TestNode.AppendAsync(admin, "after the rekey", "payments", waitForCommit: true)), "after the rekey"));
        Assert.Equal(0, Rekeying.SealedVersion(primary, entries[0].Seqno));
        Assert.Equal(1, Rekeying.SealedVersion(primary, entries[1].Seqno));

        foreach (var node in cluster.Nodes)
        {
            await AssertReadsEveryEntryAsync(node!, entries);
        }

        var backup = cluster.Nodes.FindIndex(node => node != primary);
        await cluster.StopAsync(backup);
        await cluster.RestartAsync(backup);
        await AssertReadsEveryEntryAsync(cluster.Nodes[backup]!, entries);

        var joined = await cluster.JoinAsync();
        await AssertReadsEveryEntryAsync(joined, entries);
    }

    private static async Task AssertReadsEveryEntryAsync(VellumNode node, List<(long Seqno, string Contents)> entries)
    {
        await LocalCluster.WaitUntilAsync(() => node.Node.Ledger.LastSeqno >= entries[^1].Seqno, "the node to hold every entry");
        Assert.Equal(2, node.Node.Keyring!.Count);
        foreach (var (seqno, contents) in entries)
        {
            var opened = node.Node.Keyring.Open(node.Node.Ledger.ReadEntry(seqno));
            Assert.Equal(contents, opened.Write.Contents);
        }
    }
}
