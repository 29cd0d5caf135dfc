using System.Net;
using System.Text;
using System.Text.Json;
using Vellum.Core;
using Vellum.Core.Receipts;

namespace Vellum.Cli.Tests.Cluster;

/// <summary>
/// The checks every cluster test ends with, once the load has stopped: one primary per view, and
/// every node holding the same history, in which everything answered committed is committed with
/// a receipt that verifies and everything else is either committed or gone everywhere.
/// </summary>
internal static class ClusterAudit
{
    public static async Task AssertConsistentAsync(ProcessCluster cluster, ClusterLoad load)
    {
        AssertOnePrimaryPerView(load);
        var final = await CommitFinalWriteAsync(cluster);
        foreach (var node in cluster.Nodes)
        {
            await cluster.WaitUntilAsync(async () => await cluster.StateAsync(node.Index) is { } state && state.CommittedSeqno >= final.Seqno, $"node {node.Index} to commit {final}");
        }

        var written = load.Accepted.ToList();
        var outcomes = await Task.WhenAll(cluster.Nodes.Select(node => StatusesAsync(cluster.Client(node.Index), written)));
        for (var i = 0; i < written.Count; i++)
        {
            var write = written[i];
            var seen = outcomes.Select(statuses => statuses[i]).Distinct().ToList();
            Assert.True(seen.Count == 1, $"{write.Id} from node {write.Node}: the nodes disagree: {string.Join(", ", outcomes.Select(statuses => statuses[i]))}");
            Assert.True(seen[0] is "Committed" or "gone", $"{write.Id} from node {write.Node} is {seen[0]} after the final commit {final}.");
            Assert.True(!write.Committed || seen[0] == "Committed", $"{write.Id} was answered committed by node {write.Node}, and is {seen[0]} now.");
        }

        foreach (var node in cluster.Nodes)
        {
            await AssertReceiptsVerifyAsync(cluster.Client(node.Index), load.Committed.Select(write => write.Id), cluster.ServiceCertificatePem, node.Index);
        }
    }

    /// <summary>No view had two nodes claiming to be primary, nor two nodes accepting writes.</summary>
    public static void AssertOnePrimaryPerView(ClusterLoad load)
    {
        foreach (var view in load.Accepted.GroupBy(write => write.Id.View))
        {
            var acceptors = view.Select(write => write.Node).Distinct().ToList();
            Assert.True(acceptors.Count == 1, $"In view {view.Key}, nodes {string.Join(" and ", acceptors)} both accepted writes.");
        }

        foreach (var view in load.Claims.GroupBy(claim => claim.View))
        {
            var claimants = view.Select(claim => claim.Node).Distinct().ToList();
            Assert.True(claimants.Count == 1, $"In view {view.Key}, nodes {string.Join(" and ", claimants)} both said they were primary.");
        }
    }

    // With the load stopped, a committed write on the primary commits everything its view
    // holds; whatever earlier views held and it does not is gone for good.
    private static async Task<TransactionId> CommitFinalWriteAsync(ProcessCluster cluster)
    {
        var primary = await cluster.WaitForPrimaryAsync(cluster.Nodes.Where(node => node.IsRunning).Select(node => node.Index));
        using var body = new StringContent("{\"contents\":\"final\"}", Encoding.UTF8, "application/json");
        using var response = await cluster.Client(primary).PostAsync("/app/transactions?api-version=2024-08-22-preview&waitForCommit=true", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return TransactionId.Parse(response.Headers.GetValues("x-ms-ccf-transaction-id").Single());
    }

    private static async Task<string[]> StatusesAsync(HttpClient client, List<AcceptedWrite> written)
    {
        var statuses = new string[written.Count];
        await Parallel.ForAsync(0, written.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancellationToken) =>
        {
            using var response = await client.GetAsync($"/app/transactions/{written[i].Id}/status?api-version=2024-08-22-preview", cancellationToken);
            statuses[i] = response.StatusCode switch
            {
                HttpStatusCode.OK => JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("state").GetString()!,
                HttpStatusCode.NotFound => "gone",
                var other => $"HTTP {(int)other}",
            };
        });
        return statuses;
    }

    private static async Task AssertReceiptsVerifyAsync(HttpClient client, IEnumerable<TransactionId> ids, string servicePem, int node)
    {
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, cancellationToken) =>
        {
            using var response = await client.GetAsync($"/app/transactions/{id}/receipt?api-version=2024-08-22-preview", cancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"The receipt of {id} on node {node}: HTTP {(int)response.StatusCode}");
            var verdict = ReceiptVerifier.VerifyJson(await response.Content.ReadAsStringAsync(cancellationToken), servicePem);
            Assert.True(verdict.IsValid, $"The receipt of {id} on node {node} does not verify: {verdict}");
        });
    }
}
