using System.Net;
using Vellum.Core;
using Vellum.Core.Receipts;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Cluster;

/// <summary>Three real nodes on loopback: joining, replication, redirects from backups, failover and catching up after a restart.</summary>
public sealed class ThreeNodeClusterTests
{
    [Fact]
    public async Task JoinedNodesServeCommittedEntriesAndABackupRedirectsWritesToThePrimary()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var primary = cluster.Leader()!;
        var id = await TestNode.AppendAsync(cluster.Client(primary), "replicated", waitForCommit: true);
        var committed = TransactionId.Parse(id);

        foreach (var backup in cluster.Nodes.Where(node => node != primary))
        {
            await LocalCluster.WaitUntilAsync(() => backup!.Committed.Seqno >= committed.Seqno, "the backup to learn the commit");
            using var read = await cluster.Client(backup!).GetAsync(TestNode.App($"/app/transactions/{id}"));
            var entry = await TestNode.ReadJsonAsync(read);
            Assert.Equal("replicated", entry.GetProperty("entry").GetProperty("contents").GetString());

            using var redirected = await cluster.Client(backup!, followRedirects: false).PostAsync(TestNode.App("/app/transactions"), TestNode.Json("{\"contents\":\"to a backup\"}"));
            Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
            Assert.Equal(primary.Endpoint.Port, redirected.Headers.Location!.Port);

            using var stateResponse = await cluster.Client(backup!).GetAsync("/node/state");
            var state = await TestNode.ReadJsonAsync(stateResponse);
            Assert.False(state.GetProperty("primary").GetBoolean());
            Assert.Equal(primary.Node.Replica.Id.Value, state.GetProperty("primaryId").GetString());
            Assert.Equal("voter", state.GetProperty("role").GetString());
        }

        var followed = await TestNode.AppendAsync(cluster.Client(cluster.Nodes.First(node => node != primary)!), "via a redirect", waitForCommit: true);
        Assert.True(TransactionId.Parse(followed).Seqno > committed.Seqno);
    }

    [Fact]
    public async Task WhenThePrimaryStopsAnotherIsElectedAndEveryCommittedEntryStaysWithAReceiptThatVerifies()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var first = cluster.Leader()!;
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await TestNode.AppendAsync(cluster.Client(first), $"before {i}", waitForCommit: true));
        }

        var stopped = cluster.Nodes.IndexOf(first);
        await cluster.StopAsync(stopped);
        await LocalCluster.WaitUntilAsync(() => cluster.Leader() is { } leader && leader != first, "a new primary");
        var second = cluster.Leader()!;
        Assert.True(second.Node.Replica.Term > 1);
        ids.Add(await TestNode.AppendAsync(cluster.Client(second), "after the failover", waitForCommit: true));

        foreach (var node in cluster.Nodes.Where(node => node is not null))
        {
            await LocalCluster.WaitUntilAsync(() => node!.Committed.Seqno >= TransactionId.Parse(ids[^1]).Seqno, "every survivor to commit the last write");
            foreach (var id in ids)
            {
                using var receipt = await cluster.Client(node!).GetAsync(TestNode.App($"/app/transactions/{id}/receipt"));
                Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
                var verdict = ReceiptVerifier.VerifyJson(await receipt.Content.ReadAsStringAsync(), second.ServiceCertificatePem);
                Assert.True(verdict.IsValid, $"receipt of {id} on a survivor: {verdict}");
            }
        }

        await cluster.RestartAsync(stopped);
        var restarted = cluster.Nodes[stopped]!;

        // It saved its commit index when it stopped: what it reported committed then, it reports at once.
        Assert.True(restarted.Committed.Seqno >= TransactionId.Parse(ids[^2]).Seqno, $"restarted with commit {restarted.Committed}");
        await LocalCluster.WaitUntilAsync(() => restarted.Committed.Seqno >= TransactionId.Parse(ids[^1]).Seqno, "the restarted node to catch up");
        using var caughtUp = await cluster.Client(restarted).GetAsync(TestNode.App($"/app/transactions/{ids[^1]}"));
        Assert.Equal("after the failover", (await TestNode.ReadJsonAsync(caughtUp)).GetProperty("entry").GetProperty("contents").GetString());
    }
}
