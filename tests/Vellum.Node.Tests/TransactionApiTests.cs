using System.Net;
using System.Text.Json;
using Vellum.Core.Claims;
using Vellum.Core.Receipts;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests;

public class TransactionApiTests
{
    [Fact]
    public async Task AppendedEntryCommitsAndItsReceiptVerifiesAgainstTheIdentityCertificate()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();

        var id = await TestNode.AppendAsync(client, "hello ledger", "payments", waitForCommit: true);

        using var status = await client.GetAsync(TestNode.App($"/app/transactions/{id}/status"));
        var statusBody = await TestNode.ReadJsonAsync(status);
        Assert.Equal("Committed", statusBody.GetProperty("state").GetString());
        Assert.Equal(id, statusBody.GetProperty("transactionId").GetString());

        using var identity = await node.Client(null).GetAsync($"/ledgerIdentity/{node.Node.LedgerName}");
        var serviceCertificate = (await TestNode.ReadJsonAsync(identity)).GetProperty("ledgerTlsCertificate").GetString()!;

        using var receiptResponse = await client.GetAsync(TestNode.App($"/app/transactions/{id}/receipt"));
        Assert.Equal(HttpStatusCode.OK, receiptResponse.StatusCode);
        var receiptJson = await receiptResponse.Content.ReadAsStringAsync();
        var receipt = ReceiptJson.ParseTransactionReceipt(receiptJson);
        Assert.Equal(ReceiptState.Ready, receipt.State);
        var claim = Assert.IsType<LedgerEntryClaim>(Assert.Single(receipt.ApplicationClaims));
        Assert.Equal("hello ledger", claim.Contents);
        Assert.Equal("payments", claim.CollectionId);
        var result = ReceiptVerifier.Verify(receipt.Receipt!, serviceCertificate, receipt.ApplicationClaims);
        Assert.True(result.IsValid, result.ToString());
    }

    [Theory]
    [InlineData("{\"contents\":\"h\u00e9llo\"}", "h\u00e9llo")]
    [InlineData("{ \"transactionId\" : \"9.9\",\n\t\"x\": [1, {\"contents\":\"not this\"}] , \"contents\" :  \"h\u00e9llo\" }", "h\u00e9llo")]
    [InlineData("{\"contents\":\"say \\\"h\u00e9llo\\\"\"}", "say \"h\u00e9llo\"")]
    [InlineData("{\"contents\":\"\"}", "")]
    public async Task ContentsAreStoredExactlyWhereverTheyStandInTheBody(string body, string expected)
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();

        using var append = await client.PostAsync(TestNode.App("/app/transactions?waitForCommit=true"), TestNode.Json(body));
        Assert.Equal(HttpStatusCode.OK, append.StatusCode);
        var id = Assert.Single(append.Headers.GetValues("x-ms-ccf-transaction-id"));

        using var read = await client.GetAsync(TestNode.App($"/app/transactions/{id}"));
        Assert.Equal(expected, (await TestNode.ReadJsonAsync(read)).GetProperty("entry").GetProperty("contents").GetString());
    }

    [Fact]
    public async Task EntryReadsBackWithItsCollectionAndIdAndTheHeaderNamesTheReadState()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();
        var id = await TestNode.AppendAsync(client, "{\"amount\":5}", waitForCommit: true);

        using var response = await client.GetAsync(TestNode.App($"/app/transactions/{id}"));
        var body = await TestNode.ReadJsonAsync(response);

        Assert.Equal("Ready", body.GetProperty("state").GetString());
        var entry = body.GetProperty("entry");
        Assert.Equal("{\"amount\":5}", entry.GetProperty("contents").GetString());
        Assert.Equal("subledger:0", entry.GetProperty("collectionId").GetString());
        Assert.Equal(id, entry.GetProperty("transactionId").GetString());
        Assert.True(response.Headers.TryGetValues("x-ms-ccf-transaction-id", out var header));
        Assert.Equal(node.Node.Committed.ToString(), Assert.Single(header));
    }

    [Fact]
    public async Task ListingPagesThroughNextLinkAndAcceptsTheRepeatedApiVersionOfJavaScriptClients()
    {
        await using var node = await TestNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, MaxEntriesPerPage = 4 });
        var client = node.AdminClient();
        var written = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            written.Add(await TestNode.AppendAsync(client, $"entry {i}", "paged", waitForCommit: i == 9));
        }

        await TestNode.AppendAsync(client, "elsewhere", "other", waitForCommit: true);
        var seen = new List<string>();
        var link = TestNode.App("/app/transactions?collectionId=paged");
        var pages = 0;
        while (link is not null)
        {
            using var response = await client.GetAsync(link);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await TestNode.ReadJsonAsync(response);
            seen.AddRange(body.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("transactionId").GetString()!));
            link = body.TryGetProperty("nextLink", out var next) ? next.GetString() + "&api-version=" + TestNode.ApiVersion : null;

            // The link names the api-version the request named, not the node's oldest.
            Assert.True(link is null || link.StartsWith($"/app/transactions?api-version={TestNode.ApiVersion}&", StringComparison.Ordinal), link);
            pages++;
        }

        Assert.Equal(written, seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task ReceiptOfAnUncommittedOrUnknownTransactionIsRefusedWithAclCodes()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();

        using var unknown = await client.GetAsync(TestNode.App("/app/transactions/1.999/receipt"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("InvalidTransactionId", (await TestNode.ReadJsonAsync(unknown)).GetProperty("error").GetProperty("code").GetString());

        using var wrongView = await client.GetAsync(TestNode.App("/app/transactions/7.1/status"));
        Assert.Equal(HttpStatusCode.NotFound, wrongView.StatusCode);

        using var malformed = await client.GetAsync(TestNode.App("/app/transactions/abc/status"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("InvalidTransactionId", (await TestNode.ReadJsonAsync(malformed)).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task SignatureTransactionHasAReceiptOnceALaterSignatureCoversIt()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();
        var lastSignature = node.Node.Committed.ToString();

        using var pending = await client.GetAsync(TestNode.App($"/app/transactions/{lastSignature}/receipt"));
        Assert.Equal(HttpStatusCode.NotAcceptable, pending.StatusCode);
        Assert.Equal("UncommittedLedgerEntry", (await TestNode.ReadJsonAsync(pending)).GetProperty("error").GetProperty("code").GetString());

        await TestNode.AppendAsync(client, "covers the signature", waitForCommit: true);
        using var covered = await client.GetAsync(TestNode.App($"/app/transactions/{lastSignature}/receipt"));
        var json = await covered.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, covered.StatusCode);
        Assert.Empty(ReceiptJson.ParseTransactionReceipt(json).ApplicationClaims);
        Assert.True(ReceiptVerifier.VerifyJson(json, node.Node.ServiceCertificatePem).IsValid);
    }

    [Fact]
    public async Task CurrentReturnsTheLatestEntryOfTheCollectionAndCollectionsListsIt()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();
        await TestNode.AppendAsync(client, "first", "orders");
        var last = await TestNode.AppendAsync(client, "second", "orders", waitForCommit: true);

        using var current = await client.GetAsync(TestNode.App("/app/transactions/current?collectionId=orders"));
        var body = await TestNode.ReadJsonAsync(current);
        Assert.Equal("second", body.GetProperty("contents").GetString());
        Assert.Equal(last, body.GetProperty("transactionId").GetString());

        using var collections = await client.GetAsync(TestNode.App("/app/collections"));
        var names = (await TestNode.ReadJsonAsync(collections)).GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("collectionId").GetString()).ToList();
        Assert.Equal(["orders"], names);
    }

    [Fact]
    public async Task TagsFilterARangeQuery()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();
        using (var tagged = await client.PostAsync(TestNode.App("/app/transactions?collectionId=events&tags=red,blue"), TestNode.Json("{\"contents\":\"a\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
        }

        await TestNode.AppendAsync(client, "b", "events", waitForCommit: true);

        using var response = await client.GetAsync(TestNode.App("/app/transactions?collectionId=events&tag=blue"));
        var entries = (await TestNode.ReadJsonAsync(response)).GetProperty("entries").EnumerateArray().ToList();
        var entry = Assert.Single(entries);
        Assert.Equal("a", entry.GetProperty("contents").GetString());
        Assert.Equal("red,blue", entry.GetProperty("tags").GetString());
    }

    [Fact]
    public async Task ARangeReadAnswersEachEntryExactlyAsASingleReadDoes()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();
        var longTags = string.Join(',', Enumerable.Range(0, 4).Select(i => $"t{i}-" + new string('x', 100)));
        (string Contents, string Tags)[] writes =
        [
            ("plain", ""),
            ("say \"h\u00e9llo\" <b>+</b> \\ \t \u0001 \ud83d\ude00", "red,blue,gr\u00fcn"),
            ("", "only"),
            ("long tags", longTags),
        ];
        var ids = new List<string>();
        foreach (var (contents, tags) in writes)
        {
            var query = tags.Length > 0 ? $"/app/transactions?collectionId=exact&tags={Uri.EscapeDataString(tags)}" : "/app/transactions?collectionId=exact";
            using var append = await client.PostAsync(TestNode.App(query + "&waitForCommit=true"), TestNode.Json(JsonSerializer.Serialize(new { contents })));
            Assert.Equal(HttpStatusCode.OK, append.StatusCode);
            ids.Add(Assert.Single(append.Headers.GetValues("x-ms-ccf-transaction-id")));
        }

        using var range = await client.GetAsync(TestNode.App("/app/transactions?collectionId=exact"));
        var listed = (await TestNode.ReadJsonAsync(range)).GetProperty("entries").EnumerateArray().Select(e => e.GetRawText()).ToList();
        var single = new List<string>();
        foreach (var id in ids)
        {
            using var read = await client.GetAsync(TestNode.App($"/app/transactions/{id}"));
            single.Add((await TestNode.ReadJsonAsync(read)).GetProperty("entry").GetRawText());
        }

        Assert.Equal(single, listed);
        Assert.Contains("\"tags\":\"" + longTags + "\"", listed[3], StringComparison.Ordinal);
        Assert.Contains("gr\u00fcn", JsonDocument.Parse(listed[1]).RootElement.GetProperty("tags").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LedgerSurvivesARestartWithEveryCommittedEntryAndItsReceipt()
    {
        await using var node = await TestNode.StartAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await TestNode.AppendAsync(node.AdminClient(), $"durable {i}", waitForCommit: true));
        }

        await node.RestartAsync();
        var client = node.AdminClient();
        foreach (var id in ids)
        {
            using var receipt = await client.GetAsync(TestNode.App($"/app/transactions/{id}/receipt"));
            Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
            Assert.True(ReceiptVerifier.VerifyJson(await receipt.Content.ReadAsStringAsync(), node.Node.ServiceCertificatePem).IsValid);
        }

        var next = await TestNode.AppendAsync(client, "after restart", waitForCommit: true);
        Assert.True(long.Parse(next.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture) > long.Parse(ids[^1].Split('.')[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task NodeListeningOnIpv6LoopbackServesAtABracketedAddress()
    {
        await using var node = await TestNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = new IPEndPoint(IPAddress.IPv6Loopback, 0) });
        Assert.Equal("[::1]", node.BaseAddress.Host);

        var id = await TestNode.AppendAsync(node.AdminClient(), "over IPv6", waitForCommit: true);
        Assert.StartsWith("1.", id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANodeRestartedWithoutAnyWriteStopsAgainHavingSignedEachNewView()
    {
        await using var node = await TestNode.StartAsync();
        var first = node.Node.Committed;
        await node.RestartAsync();
        await node.RestartAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // Each restart is a new term, whose primary signs first so that what it inherited
        // commits: one signature per restart, and nothing else.
        Assert.Equal(1, first.View);
        Assert.Equal(new Core.TransactionId(3, first.Seqno + 2), node.Node.Committed);
    }

    [Fact]
    public async Task ConcurrentWritersAllCommit()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();
        var ids = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => TestNode.AppendAsync(client, $"parallel {i}", waitForCommit: true)));

        Assert.Equal(64, ids.Distinct().Count());
        foreach (var id in ids)
        {
            using var status = await client.GetAsync(TestNode.App($"/app/transactions/{id}/status"));
            Assert.Equal("Committed", (await TestNode.ReadJsonAsync(status)).GetProperty("state").GetString());
        }
    }
}
