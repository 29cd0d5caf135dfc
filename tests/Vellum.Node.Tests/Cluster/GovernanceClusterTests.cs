using System.Net;
using System.Security.Cryptography.X509Certificates;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Cluster;

/// <summary>Governance on three nodes: requests to a backup are redirected to the primary, and every node reaches the same decisions from the log.</summary>
public sealed class GovernanceClusterTests
{
    [Fact]
    public async Task ABackupRedirectsGovernanceRequestsAndEveryNodeSeesTheSameOutcome()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var founderFolder = cluster.Options[0].DataDirectory;
        using var member = TestCertificates.FirstMember(founderFolder);
        var primary = cluster.Leader()!;
        var backup = cluster.Nodes.First(node => node != primary)!;
        const string proposal = "{\"actions\":[{\"name\":\"set_recovery_threshold\",\"args\":{\"recovery_threshold\":1}}]}";

        using var redirected = await cluster.Client(backup, followRedirects: false, member).PostAsync("/gov/proposals", TestNode.Json(proposal));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal(primary.Endpoint.Port, redirected.Headers.Location!.Port);

        using var proposed = await cluster.Client(backup, followRedirects: true, member).PostAsync("/gov/proposals", TestNode.Json(proposal));
        var id = (await TestNode.ReadJsonAsync(proposed)).GetProperty("proposalId").GetString();
        using var voted = await cluster.Client(backup, followRedirects: true, member).PostAsync($"/gov/proposals/{id}/ballots", TestNode.Json("{\"ballot\":true}"));
        Assert.Equal("Accepted", (await TestNode.ReadJsonAsync(voted)).GetProperty("state").GetString());

        var committed = primary.Committed.Seqno;
        foreach (var node in cluster.Nodes)
        {
            await LocalCluster.WaitUntilAsync(() => node!.Committed.Seqno >= committed, "every node to commit the ballot");
            using var seen = await cluster.Client(node!).GetAsync($"/gov/proposals/{id}");
            Assert.Equal("Accepted", (await TestNode.ReadJsonAsync(seen)).GetProperty("state").GetString());
        }
    }

    [Fact]
    public async Task ANodeTheConsortiumRetiresIsRemovedByThePrimary()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var founderFolder = cluster.Options[0].DataDirectory;
        using var member = TestCertificates.FirstMember(founderFolder);
        var primary = cluster.Leader()!;
        var backup = cluster.Nodes.First(node => node != primary)!;
        var client = cluster.Client(primary, followRedirects: true, member);
        var proposal = "{\"actions\":[{\"name\":\"remove_node\",\"args\":{\"node_id\":\"" + backup.Node.Replica.Id.Value + "\"}}]}";

        using var proposed = await client.PostAsync("/gov/proposals", TestNode.Json(proposal));
        var id = (await TestNode.ReadJsonAsync(proposed)).GetProperty("proposalId").GetString();
        using var voted = await client.PostAsync($"/gov/proposals/{id}/ballots", TestNode.Json("{\"ballot\":true}"));
        Assert.Equal("Accepted", (await TestNode.ReadJsonAsync(voted)).GetProperty("state").GetString());

        await LocalCluster.WaitUntilAsync(() => backup.IsRetired, "the retired node to learn it");
        Assert.Null(primary.Node.Replica.Membership!.Find(backup.Node.Replica.Id));
        Assert.Equal(2, primary.Node.Replica.Membership!.Voters.Count);
    }

    [Fact]
    public async Task UnderConsortiumJoinsANodeWaitsUntilAMembersProposalTrustsItThenJoins()
    {
        await using var cluster = await LocalCluster.StartAsync(1, joins: JoinPolicy.Consortium);
        var founderFolder = cluster.Options[0].DataDirectory;
        using var member = TestCertificates.FirstMember(founderFolder);
        var founder = cluster.Nodes[0]!;
        var pending = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        var joining = cluster.JoinAsync(whilePending: nodeId => pending.TrySetResult(nodeId));
        var nodeId = await pending.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(joining.IsCompleted);
        Assert.Null(founder.Node.Replica.Membership);

        var client = cluster.Client(founder, followRedirects: true, member);
        var proposal = "{\"actions\":[{\"name\":\"transition_node_to_trusted\",\"args\":{\"node_id\":\"" + nodeId + "\"}}]}";
        using var proposed = await client.PostAsync("/gov/proposals", TestNode.Json(proposal));
        var id = (await TestNode.ReadJsonAsync(proposed)).GetProperty("proposalId").GetString();
        using var voted = await client.PostAsync($"/gov/proposals/{id}/ballots", TestNode.Json("{\"ballot\":true}"));
        Assert.Equal("Accepted", (await TestNode.ReadJsonAsync(voted)).GetProperty("state").GetString());

        var joined = await joining.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(nodeId, joined.Node.Replica.Id.Value);
        await LocalCluster.WaitUntilAsync(() => founder.Node.Replica.Membership?.Voters.Count == 2, "the trusted node to become a voter");
    }

    [Fact]
    public async Task UnderClosedJoinsANodeIsRefused()
    {
        await using var cluster = await LocalCluster.StartAsync(1, joins: JoinPolicy.Closed);

        var refused = await Assert.ThrowsAsync<NodeStartException>(() => cluster.JoinAsync());

        Assert.Contains("(403)", refused.Message, StringComparison.Ordinal);
        Assert.Null(cluster.Nodes[0]!.Node.Replica.Membership);
    }
}
