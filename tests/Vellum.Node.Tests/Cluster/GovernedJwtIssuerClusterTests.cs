using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Node.Tests.Jwt;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Cluster;

/// <summary>
/// A token issuer the consortium trusts, on three nodes with no configured issuer: its tokens are
/// refused before the proposal is accepted, accepted on every node once the record applies there
/// (a restarted node too, from its ledger), and refused on every node once it is removed.
/// </summary>
public sealed class GovernedJwtIssuerClusterTests
{
    private const string Issuer = "https://login.example/governed-tenant/v2.0";

    [Fact]
    public async Task EveryNodeAcceptsAGovernedIssuersTokensOnlyBetweenItsAcceptanceAndItsRemoval()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        using var key = TestSigningKey.Ec("governed-ec");
        var founderFolder = cluster.Options[0].DataDirectory;
        using var member = TestCertificates.FirstMember(founderFolder);
        var primary = cluster.Leader()!;
        var governance = cluster.Client(primary, followRedirects: true, member);
        using (var reader = await cluster.Client(primary).PatchAsync(
            TestNode.App($"/app/ledgerUsers/{TestToken.UserObjectId}"),
            TestNode.Json("{\"assignedRoles\":[\"Reader\"]}", "application/merge-patch+json")))
        {
            Assert.Equal(HttpStatusCode.OK, reader.StatusCode);
        }

        var token = TestToken.For(Issuer, key, DateTimeOffset.UtcNow).SignedBy(key);
        await EveryNodeAnswersAsync(cluster, token, HttpStatusCode.Unauthorized, "trusts no token issuer");

        var jwks = JsonSerializer.Serialize(new { keys = new[] { key.ToJwk() } });
        await DecideAsync(governance, "{\"actions\":[{\"name\":\"set_jwt_issuer\",\"args\":{\"issuer\":\"" + Issuer + "\",\"jwks\":" + jwks + ",\"auto_refresh\":false}}]}");
        await EveryNodeAnswersAsync(cluster, token, HttpStatusCode.OK, null);

        // A backup restarted now trusts the issuer again: it replays the record from its own ledger.
        var backup = cluster.Nodes.FindIndex(node => node != primary);
        await cluster.StopAsync(backup);
        await cluster.RestartAsync(backup);
        await AnswersAsync(cluster, cluster.Nodes[backup]!, token, HttpStatusCode.OK, null);

        await DecideAsync(governance, "{\"actions\":[{\"name\":\"remove_jwt_issuer\",\"args\":{\"issuer\":\"" + Issuer + "\"}}]}");
        await EveryNodeAnswersAsync(cluster, token, HttpStatusCode.Unauthorized, "trusts no token issuer");
    }

    private static async Task DecideAsync(HttpClient member, string proposal)
    {
        using var proposed = await member.PostAsync("/gov/proposals", TestNode.Json(proposal));
        var body = await TestNode.ReadJsonAsync(proposed);
        Assert.True(proposed.StatusCode == HttpStatusCode.OK, body.ToString());
        using var voted = await member.PostAsync($"/gov/proposals/{body.GetProperty("proposalId").GetString()}/ballots", TestNode.Json("{\"ballot\":true}"));
        Assert.Equal("Accepted", (await TestNode.ReadJsonAsync(voted)).GetProperty("state").GetString());
    }

    // Each node is asked once it has committed everything the primary had: by then it has applied
    // the governance record, which is all a node needs to trust or stop trusting the issuer.
    private static async Task EveryNodeAnswersAsync(LocalCluster cluster, string token, HttpStatusCode expected, string? message)
    {
        var committed = cluster.Leader()!.Committed.Seqno;
        foreach (var node in cluster.Nodes)
        {
            await LocalCluster.WaitUntilAsync(() => node!.Committed.Seqno >= committed, "every node to commit the primary's last transaction");
            await AnswersAsync(cluster, node!, token, expected, message);
        }
    }

    private static async Task AnswersAsync(LocalCluster cluster, VellumNode node, string token, HttpStatusCode expected, string? message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, TestNode.App("/app/governance/constitution"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await cluster.Client(node).SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"node on port {node.Endpoint.Port}: {(int)response.StatusCode} {body}");
        if (message is not null)
        {
            Assert.Contains(message, body, StringComparison.Ordinal);
        }
    }
}
