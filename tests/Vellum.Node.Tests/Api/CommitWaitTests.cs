using System.Net;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary><c>waitForCommit=true</c> holds a write's response until the write is committed.</summary>
public sealed class CommitWaitTests(IssuerNode node) : IClassFixture<IssuerNode>
{
    [Fact]
    public async Task EveryWriteThatWaitedIsCommittedTheMomentItsResponseArrives()
    {
        // Concurrent writers share signatures, so some responses would otherwise arrive while
        // their entry is still pending; each checks its status and receipt as soon as it returns.
        var writers = Enumerable.Range(0, 32).Select(async i =>
        {
            using var post = await node.Admin.PostAsync(TestNode.App($"/app/transactions?collectionId=waiting&waitForCommit=true"), TestNode.Json($"{{\"contents\":\"wait {i}\"}}"));
            await ApiAssert.StatusAsync(post, HttpStatusCode.OK);
            var id = ApiAssert.TransactionId(post);
            var committedAtResponse = node.Node.Node.Committed;

            using var status = await node.Admin.GetAsync(TestNode.App($"/app/transactions/{id}/status"));
            var state = (await TestNode.ReadJsonAsync(status)).GetProperty("state").GetString();
            using var receipt = await node.Admin.GetAsync(TestNode.App($"/app/transactions/{id}/receipt"));
            return (Id: Core.TransactionId.Parse(id), CommittedAtResponse: committedAtResponse, State: state, Receipt: receipt.StatusCode);
        });

        var results = await Task.WhenAll(writers);

        Assert.All(results, result =>
        {
            Assert.True(result.CommittedAtResponse.Seqno >= result.Id.Seqno, $"{result.Id} answered when only {result.CommittedAtResponse} was committed");
            Assert.Equal("Committed", result.State);
            Assert.Equal(HttpStatusCode.OK, result.Receipt);
        });
    }

    [Fact]
    public async Task WaitForCommitFalseIsAcceptedAndTheEntryCommitsAfterwards()
    {
        using var post = await node.Admin.PostAsync(TestNode.App("/app/transactions?waitForCommit=false"), TestNode.Json("{\"contents\":\"no wait\"}"));
        await ApiAssert.StatusAsync(post, HttpStatusCode.OK);
        var id = ApiAssert.TransactionId(post);

        // A later write that waits commits everything before it too.
        await TestNode.AppendAsync(node.Admin, "barrier", waitForCommit: true);

        using var status = await node.Admin.GetAsync(TestNode.App($"/app/transactions/{id}/status"));
        Assert.Equal("Committed", (await TestNode.ReadJsonAsync(status)).GetProperty("state").GetString());
    }
}
