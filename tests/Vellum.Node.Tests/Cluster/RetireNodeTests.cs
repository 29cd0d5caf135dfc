using System.Net;
using System.Text.Json;
using Vellum.Core;
using Vellum.Node.Tests.Api;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Cluster;

/// <summary>Retiring nodes of three real nodes on loopback: a backup, the primary, and a node that was stopped while it was retired.</summary>
public sealed class RetireNodeTests
{
    [Fact]
    public async Task ARetiredBackupLeavesTwoVotersThatCommitAndReportsItselfRetiredEvenAfterARestart()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var primary = cluster.Leader()!;
        var backup = cluster.Nodes.First(node => node != primary)!;
        var backupId = NodeId(backup);

        // A backup redirects the retirement to the primary, like any write.
        using (var redirected = await cluster.Client(backup, followRedirects: false).DeleteAsync($"/node/members/{backupId}"))
        {
            Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
            Assert.Equal(primary.Endpoint.Port, redirected.Headers.Location!.Port);
            Assert.Equal($"/node/members/{backupId}", redirected.Headers.Location.AbsolutePath);
        }

        using (var retired = await cluster.Client(backup).DeleteAsync($"/node/members/{backupId}"))
        {
            await ApiAssert.NoContentAsync(retired);
            var removal = TransactionId.Parse(ApiAssert.TransactionId(retired));
            Assert.True(primary.Committed.Seqno >= removal.Seqno);
        }

        var members = await MembersAsync(cluster, primary);
        Assert.Equal(2, members.Count);
        Assert.All(members, member => Assert.Equal("voter", member.GetProperty("role").GetString()));
        Assert.DoesNotContain(members, member => member.GetProperty("nodeId").GetString() == backupId);
        Assert.Equal(NodeId(primary), Assert.Single(members, member => member.GetProperty("primary").GetBoolean()).GetProperty("nodeId").GetString());
        await TestNode.AppendAsync(cluster.Client(primary), "after the retirement", waitForCommit: true);

        await LocalCluster.WaitUntilAsync(() => backup.IsRetired, "the retired backup to learn its removal committed");
        await AssertRetiredAsync(cluster, backup);
        Assert.Equal(2, (await MembersAsync(cluster, backup)).Count);

        // Its folder starts again, but as what it is: retired.
        var index = cluster.Nodes.IndexOf(backup);
        await cluster.StopAsync(index);
        await cluster.RestartAsync(index);
        var restarted = cluster.Nodes[index]!;
        Assert.True(restarted.IsRetired);
        await AssertRetiredAsync(cluster, restarted);
        await TestNode.AppendAsync(cluster.Client(primary), "with the retired node back up", waitForCommit: true);
    }

    [Fact]
    public async Task RetiringThePrimaryElectsAnotherAmongTheRestAndWritesCommitThere()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var first = cluster.Leader()!;
        var before = TransactionId.Parse(await TestNode.AppendAsync(cluster.Client(first), "before", waitForCommit: true));

        using (var retired = await cluster.Client(first).DeleteAsync($"/node/members/{NodeId(first)}"))
        {
            await ApiAssert.NoContentAsync(retired);
        }

        await LocalCluster.WaitUntilAsync(() => cluster.Leader() is { } leader && leader != first, "a new primary among the other two");
        var second = cluster.Leader()!;
        Assert.True(first.IsRetired);
        Assert.False(first.Node.Replica.IsLeader);
        var after = TransactionId.Parse(await TestNode.AppendAsync(cluster.Client(second), "after", waitForCommit: true));
        Assert.True(after.Seqno > before.Seqno);
        Assert.True(after.View > before.View);

        var members = await MembersAsync(cluster, second);
        Assert.Equal(2, members.Count);
        Assert.DoesNotContain(members, member => member.GetProperty("nodeId").GetString() == NodeId(first));
        await AssertRetiredAsync(cluster, first);
    }

    [Fact]
    public async Task ANodeStoppedWhileItWasRetiredLearnsItOnRestartWithoutRaisingTheSurvivorsTerm()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var primary = cluster.Leader()!;
        var stopped = cluster.Nodes.FindIndex(node => node != primary);
        var stoppedId = NodeId(cluster.Nodes[stopped]!);
        var survivor = cluster.Nodes.First(node => node != primary && node != cluster.Nodes[stopped])!;
        await TestNode.AppendAsync(cluster.Client(primary), "before", waitForCommit: true);
        await cluster.StopAsync(stopped);

        using (var retired = await cluster.Client(primary).DeleteAsync($"/node/members/{stoppedId}"))
        {
            await ApiAssert.NoContentAsync(retired);
        }

        // The primary gives up sending to the stopped node, so only its own campaign can tell it.
        await LocalCluster.WaitUntilAsync(() => primary.Node.Replica.Peers.All(peer => peer.Id.Value != stoppedId), "the primary to let the silent node go");
        var term = primary.Node.Replica.Term;
        await cluster.RestartAsync(stopped);
        var restarted = cluster.Nodes[stopped]!;
        await LocalCluster.WaitUntilAsync(() => restarted.IsRetired, "the restarted node to learn it was retired");
        Assert.Same(primary, cluster.Leader());
        Assert.Equal(term, primary.Node.Replica.Term);
        Assert.Equal(term, survivor.Node.Replica.Term);
        await TestNode.AppendAsync(cluster.Client(primary), "after", waitForCommit: true);
        Assert.Equal(term, primary.Node.Replica.Term);
        await AssertRetiredAsync(cluster, restarted);
    }

    private static async Task AssertRetiredAsync(LocalCluster cluster, VellumNode node)
    {
        var client = cluster.Client(node, followRedirects: false);
        using (var state = await client.GetAsync("/node/state"))
        {
            Assert.Equal("Retired", (await TestNode.ReadJsonAsync(state)).GetProperty("state").GetString());
        }

        // A retired node restarted never learns a commit index again, so its responses carry
        // "0.0" as their transaction id: only the status and the error code are checked here.
        using (var ready = await client.GetAsync("/node/ready"))
        {
            await AssertErrorCodeAsync(ready, HttpStatusCode.ServiceUnavailable, "NodeRetired");
        }

        using var write = await client.PostAsync(TestNode.App("/app/transactions"), TestNode.Json("{\"contents\":\"to a retired node\"}"));
        await AssertErrorCodeAsync(write, HttpStatusCode.ServiceUnavailable, "NodeRetired");
    }

    private static async Task AssertErrorCodeAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await TestNode.ReadJsonAsync(response);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
    }

    private static async Task<List<JsonElement>> MembersAsync(LocalCluster cluster, VellumNode node)
    {
        using var response = await cluster.Client(node).GetAsync("/node/members");
        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
        return [.. (await TestNode.ReadJsonAsync(response)).GetProperty("members").EnumerateArray()];
    }

    private static string NodeId(VellumNode node) => node.Node.Material.Node.NodeId;
}
