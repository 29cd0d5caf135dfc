using System.Net;
using System.Text.Json;
using Vellum.Core;
using Vellum.Node.Replication;
using Vellum.Node.Sequencing;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary>
/// Every read of an entry agrees with its <c>x-ms-ccf-transaction-id</c>: an entry not committed
/// yet is answered so with a header before it, a committed one with a header at or past it.
/// </summary>
public sealed class ReadPointApiTests : IAsyncLifetime
{
    private const string Collection = "read-point";
    private TestNode _node = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        // Nothing signs while the test looks: a write nobody waits for stays uncommitted until
        // the next write that waits for commit (the commit point's saver, which waits for the
        // next commit between saves, is kept asleep too).
        var unhurried = TimeSpan.FromHours(1);
        _node = await TestNode.StartAsync(options => new NodeOptions
        {
            DataDirectory = options.DataDirectory,
            Listen = options.Listen,
            SignatureCadence = new SignatureCadence { MaxInterval = unhurried },
            Replica = new ReplicaOptions { CommitPointInterval = unhurried },
        });
        _client = _node.AdminClient();
        await TestNode.AppendAsync(_client, "committed first", Collection, waitForCommit: true);
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task AnEntryNotCommittedYetIsLoadingPendingAndWithoutReceiptAndEveryAnswerNamesAStateBeforeIt()
    {
        var pending = TransactionId.Parse(await TestNode.AppendAsync(_client, "not committed yet", Collection));

        using var entry = await _client.GetAsync(TestNode.App($"/app/transactions/{pending}"));
        await ApiAssert.StatusAsync(entry, HttpStatusCode.OK);
        Assert.Equal("Loading", (await TestNode.ReadJsonAsync(entry)).GetProperty("state").GetString());
        AssertBefore(entry, pending);

        using var status = await _client.GetAsync(TestNode.App($"/app/transactions/{pending}/status"));
        await ApiAssert.StatusAsync(status, HttpStatusCode.OK);
        Assert.Equal("Pending", (await TestNode.ReadJsonAsync(status)).GetProperty("state").GetString());
        AssertBefore(status, pending);

        using var receipt = await _client.GetAsync(TestNode.App($"/app/transactions/{pending}/receipt"));
        await ApiAssert.ErrorAsync(receipt, HttpStatusCode.NotAcceptable, "UncommittedLedgerEntry");
        AssertBefore(receipt, pending);

        using var range = await _client.GetAsync(TestNode.App($"/app/transactions?collectionId={Collection}"));
        await ApiAssert.StatusAsync(range, HttpStatusCode.OK);
        var listed = Listed(await TestNode.ReadJsonAsync(range));
        Assert.DoesNotContain(pending, listed);
        Assert.All(listed, id => AssertAtOrPast(range, id));
        AssertBefore(range, pending);

        Assert.True(_node.Node.Committed.Seqno < pending.Seqno, $"{pending} committed during the test, at {_node.Node.Committed}");
    }

    [Fact]
    public async Task OnceAnEntryCommitsEveryReadOfItNamesAStateAtOrPastIt()
    {
        var entryId = TransactionId.Parse(await TestNode.AppendAsync(_client, "committed later", Collection));
        await TestNode.AppendAsync(_client, "waited for", Collection, waitForCommit: true);

        using var entry = await _client.GetAsync(TestNode.App($"/app/transactions/{entryId}"));
        await ApiAssert.StatusAsync(entry, HttpStatusCode.OK);
        Assert.Equal("Ready", (await TestNode.ReadJsonAsync(entry)).GetProperty("state").GetString());
        AssertAtOrPast(entry, entryId);

        using var status = await _client.GetAsync(TestNode.App($"/app/transactions/{entryId}/status"));
        await ApiAssert.StatusAsync(status, HttpStatusCode.OK);
        Assert.Equal("Committed", (await TestNode.ReadJsonAsync(status)).GetProperty("state").GetString());
        AssertAtOrPast(status, entryId);

        using var receipt = await _client.GetAsync(TestNode.App($"/app/transactions/{entryId}/receipt"));
        await ApiAssert.StatusAsync(receipt, HttpStatusCode.OK);
        AssertAtOrPast(receipt, entryId);

        using var range = await _client.GetAsync(TestNode.App($"/app/transactions?collectionId={Collection}"));
        await ApiAssert.StatusAsync(range, HttpStatusCode.OK);
        var listed = Listed(await TestNode.ReadJsonAsync(range));
        Assert.Contains(entryId, listed);
        Assert.All(listed, id => AssertAtOrPast(range, id));
    }

    [Fact]
    public async Task ACollectionWhoseOnlyEntryIsNotCommittedIsNotListedUntilItCommits()
    {
        const string fresh = "read-point-fresh";
        var pending = TransactionId.Parse(await TestNode.AppendAsync(_client, "only entry", fresh));

        using (var before = await _client.GetAsync(TestNode.App("/app/collections")))
        {
            Assert.DoesNotContain(fresh, Collections(await TestNode.ReadJsonAsync(before)));
            Assert.Contains(Collection, Collections(await TestNode.ReadJsonAsync(before)));
            AssertBefore(before, pending);
        }

        Assert.True(_node.Node.Committed.Seqno < pending.Seqno, $"{pending} committed during the test, at {_node.Node.Committed}");
        await TestNode.AppendAsync(_client, "waited for", Collection, waitForCommit: true);
        using var after = await _client.GetAsync(TestNode.App("/app/collections"));
        Assert.Contains(fresh, Collections(await TestNode.ReadJsonAsync(after)));
    }

    private static List<string> Collections(JsonElement body) =>
        [.. body.GetProperty("collections").EnumerateArray().Select(collection => collection.GetProperty("collectionId").GetString()!)];

    [Fact]
    public async Task TheCommitRouteAnswersTheTransactionItsHeaderNames()
    {
        using var commit = await _node.Client(null).GetAsync("/node/commit");
        await ApiAssert.StatusAsync(commit, HttpStatusCode.OK);

        Assert.Equal(ApiAssert.TransactionId(commit), (await TestNode.ReadJsonAsync(commit)).GetProperty("transactionId").GetString());
    }

    private static List<TransactionId> Listed(JsonElement body) =>
        [.. body.GetProperty("entries").EnumerateArray().Select(entry => TransactionId.Parse(entry.GetProperty("transactionId").GetString()!))];

    private static void AssertBefore(HttpResponseMessage response, TransactionId id)
    {
        var readAt = TransactionId.Parse(ApiAssert.TransactionId(response));
        Assert.True(readAt.Seqno < id.Seqno, $"{response.RequestMessage?.RequestUri?.PathAndQuery}: answered as not committed, but read at {readAt}, past {id}");
    }

    private static void AssertAtOrPast(HttpResponseMessage response, TransactionId id)
    {
        var readAt = TransactionId.Parse(ApiAssert.TransactionId(response));
        Assert.True(readAt.Seqno >= id.Seqno, $"{response.RequestMessage?.RequestUri?.PathAndQuery}: answered as committed, but read at {readAt}, before {id}");
    }
}
