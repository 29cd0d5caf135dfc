using System.Net;
using System.Text.Json;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Receipts;
using Vellum.Node.Tests.Api;
using Vellum.Node.Tests.Cluster;
using Vellum.Node.Tests.Privacy;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Batch;

/// <summary><c>POST /app/transactions/batch</c>: entries appended in order as one write, validated entirely first.</summary>
public sealed class BatchApiTests
{
    private const string BatchPath = "/app/transactions/batch";

    [Fact]
    public async Task EveryEntryOfABatchIsStoredInOrderWithItsCollectionAndTagsAndCommitsWhenWaitedFor()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();
        var body = "{\"entries\":[{\"contents\":\"one\"},{\"contents\":\"two\",\"collectionId\":\"orders\",\"tags\":[\"red\",\"blue\"]},{\"contents\":\"three\\u00e9\",\"collectionId\":\"orders\"}]}";

        using var response = await client.PostAsync(TestNode.App($"{BatchPath}?waitForCommit=true"), TestNode.Json(body));

        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
        var transactions = (await TestNode.ReadJsonAsync(response)).GetProperty("transactions").EnumerateArray().ToList();
        Assert.Equal(["subledger:0", "orders", "orders"], transactions.Select(t => t.GetProperty("collectionId").GetString()));
        var ids = transactions.Select(t => TransactionId.Parse(t.GetProperty("transactionId").GetString()!)).ToList();
        Assert.Equal(ids[^1].ToString(), ApiAssert.TransactionId(response));
        Assert.True(node.Node.Committed.Seqno >= ids[^1].Seqno, $"answered when only {node.Node.Committed} was committed");
        Assert.Equal([ids[0].Seqno + 1, ids[0].Seqno + 2], ids.Skip(1).Select(id => id.Seqno));

        var contents = new List<string>();
        foreach (var id in ids)
        {
            using var read = await client.GetAsync(TestNode.App($"/app/transactions/{id}"));
            contents.Add((await TestNode.ReadJsonAsync(read)).GetProperty("entry").GetProperty("contents").GetString()!);
        }

        Assert.Equal(["one", "two", "threeé"], contents);
        using var byTag = await client.GetAsync(TestNode.App("/app/transactions?collectionId=orders&tag=blue"));
        var tagged = Assert.Single((await TestNode.ReadJsonAsync(byTag)).GetProperty("entries").EnumerateArray());
        Assert.Equal(ids[1].ToString(), tagged.GetProperty("transactionId").GetString());
        using var receipt = await client.GetAsync(TestNode.App($"/app/transactions/{ids[0]}/receipt"));
        Assert.True(ReceiptVerifier.VerifyJson(await receipt.Content.ReadAsStringAsync(), node.Node.ServiceCertificatePem).IsValid);
    }

    [Fact]
    public async Task ABatchIsContiguousWithoutASignatureInsideWhileSingleWritesArriveConcurrently()
    {
        // A signature every 5 entries would fall inside every batch of 50 if the cadence could split one.
        await using var node = await TestNode.StartAsync(options => new NodeOptions
        {
            DataDirectory = options.DataDirectory,
            Listen = options.Listen,
            SignatureCadence = new Sequencing.SignatureCadence { MaxUnsignedEntries = 5 },
        });
        var client = node.AdminClient();
        const int Batches = 8;
        const int PerBatch = 50;
        var singles = Enumerable.Range(0, 64).Select(i => TestNode.AppendAsync(client, $"single {i}", "singles")).ToList();
        var batches = Enumerable.Range(0, Batches).Select(async b =>
        {
            var entries = string.Join(',', Enumerable.Range(0, PerBatch).Select(i => $"{{\"contents\":\"batch {b} entry {i}\",\"collectionId\":\"batch{b}\"}}"));
            using var response = await client.PostAsync(TestNode.App(BatchPath), TestNode.Json($"{{\"entries\":[{entries}]}}"));
            await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
            return (await TestNode.ReadJsonAsync(response)).GetProperty("transactions").EnumerateArray()
                .Select(t => TransactionId.Parse(t.GetProperty("transactionId").GetString()!)).ToList();
        }).ToList();
        await Task.WhenAll(singles);
        var written = await Task.WhenAll(batches);

        for (var b = 0; b < Batches; b++)
        {
            var ids = written[b];
            Assert.Equal(PerBatch, ids.Count);
            for (var i = 0; i < ids.Count; i++)
            {
                var write = EntryCodec.DecodeWrite(node.Node.Node.Ledger.ReadEntry(ids[i].Seqno));
                Assert.Equal($"batch {b} entry {i}", write.Contents);
            }

            // Nothing falls between two entries of one batch: no other request's write, and no
            // signature, where a chunk (and so a backup) could end with half the batch.
            Assert.Equal(Enumerable.Range(0, PerBatch).Select(i => ids[0].Seqno + i), ids.Select(id => id.Seqno));
        }
    }

    [Theory]
    [InlineData("collectionId=elsewhere")]
    [InlineData("tags=a")]
    public async Task ABatchGivenACollectionOrTagsInItsQueryIsRefusedRatherThanWrittenWithoutThem(string query)
    {
        await using var node = await TestNode.StartAsync();
        var before = node.Node.Node.Ledger.LastSeqno;

        using var response = await node.AdminClient().PostAsync(TestNode.App($"{BatchPath}?{query}"), TestNode.Json("{\"entries\":[{\"contents\":\"x\"}]}"));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidQueryParameter");
        Assert.Equal(before, node.Node.Node.Ledger.LastSeqno);
    }

    [Theory]
    [InlineData("{\"entries\":[{\"contents\":\"ok\"},{\"contents\":5}]}", "InvalidRequestBody", "entries[1]")]
    [InlineData("{\"entries\":[{\"contents\":\"ok\"},{\"contents\":\"ok\"},{\"contents\":\"x\",\"collectionId\":\"vellum:users\"}]}", "InvalidCollectionId", "entries[2]")]
    [InlineData("{\"entries\":[{\"contents\":\"x\",\"tags\":[\"a\",\"a\"]}]}", "InvalidTags", "entries[0]")]
    [InlineData("{\"entries\":[{\"contents\":\"x\",\"tags\":\"a,b\"}]}", "InvalidTags", "entries[0]")]
    [InlineData("{\"entries\":[{\"contents\":\"ok\"},{\"contents\":\"x\",\"tags\":[\"a,b\"]}]}", "InvalidTags", "entries[1]")]
    [InlineData("{\"entries\":[{\"contents\":\"x\"},{\"collectionId\":\"c\"}]}", "InvalidRequestBody", "entries[1]")]
    [InlineData("{\"entries\":[{\"contents\":\"x\",\"content\":\"typo\"}]}", "InvalidRequestBody", "entries[0]")]
    [InlineData("{\"entries\":[{\"contents\":\"x\"},\"y\"]}", "InvalidRequestBody", "entries[1]")]
    [InlineData("{\"entries\":[{\"contents\":\"x\"},{\"contents\":\"y\"]}", "InvalidRequestBody", "entries[1]")]
    [InlineData("{\"entries\":[]}", "InvalidRequestBody", "at least one")]
    [InlineData("{\"entries\":{}}", "InvalidRequestBody", "array")]
    [InlineData("{\"contents\":\"a single entry\"}", "InvalidRequestBody", "entries")]
    [InlineData("[]", "InvalidRequestBody", "object")]
    [InlineData("{\"entries\":[{\"contents\":\"x\"},{\"contents\":\"x\",\"\\ud800\":1}]}", "InvalidRequestBody", "entries[1]")]
    [InlineData("{\"entries\":[{\"contents\":\"x\",\"collectionId\":\"\\ud800\"}]}", "InvalidRequestBody", "entries[0]")]
    [InlineData("{\"\\ud800\":1}", "InvalidRequestBody", "Unicode")]
    [InlineData("{\"entries\":[{\"contents\":\"fine\"},{\"contents\":\"a<FF>\"}]}", "InvalidRequestBody", "entries[1]")]
    [InlineData("{\"entries\":[{\"contents\":\"fine\"},{\"contents\":\"x\",\"a<FF>\":1}]}", "InvalidRequestBody", "entries[1]")]
    [InlineData("{\"entries\":[{\"contents\":\"fine\"}],\"a<FF>\":1}", "InvalidRequestBody", "Unicode")]
    public async Task ABadEntryRefusesTheWholeBatchNamingItsIndexAndNothingIsWritten(string body, string code, string named)
    {
        await using var node = await TestNode.StartAsync();
        var before = node.Node.Node.Ledger.LastSeqno;
        using var content = new ByteArrayContent(Utf8Bytes.WithByteFF(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await node.AdminClient().PostAsync(TestNode.App(BatchPath), content);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Contains(named, await ErrorMessageAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, node.Node.Node.Ledger.LastSeqno);
    }

    [Fact]
    public async Task ContentsAreStoredExactlyWhereverTheyStandInTheirEntry()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();
        var body = "{ \"entries\" : [ { \"tags\" : [ \"t\" ] , \"contents\" : \"h\u00e9llo \\\"quoted\\\"\" }, {\"collectionId\":\"c\" ,\n \"contents\"\t:  \"\u20ac after\"},{\"contents\":\"\"} ] }";

        using var response = await client.PostAsync(TestNode.App(BatchPath), TestNode.Json(body));

        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
        var ids = (await TestNode.ReadJsonAsync(response)).GetProperty("transactions").EnumerateArray()
            .Select(t => TransactionId.Parse(t.GetProperty("transactionId").GetString()!)).ToList();
        var stored = ids.Select(id => EntryCodec.DecodeWrite(node.Node.Node.Ledger.ReadEntry(id.Seqno)).Contents).ToList();
        Assert.Equal(["h\u00e9llo \"quoted\"", "\u20ac after", ""], stored);
    }

    [Fact]
    public async Task ABatchOfTheMostEntriesIsAcceptedAndOneMoreIsRefused()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.AdminClient();
        static string Batch(int count) => $"{{\"entries\":[{string.Join(',', Enumerable.Repeat("{\"contents\":\"e\"}", count))}]}}";

        // Waiting for commit waits for the signature after the batch too, so nothing else is due when the refused batch comes.
        using var most = await client.PostAsync(TestNode.App($"{BatchPath}?waitForCommit=true"), TestNode.Json(Batch(1000)));
        await ApiAssert.StatusAsync(most, HttpStatusCode.OK);
        Assert.Equal(1000, (await TestNode.ReadJsonAsync(most)).GetProperty("transactions").GetArrayLength());
        var before = node.Node.Node.Ledger.LastSeqno;

        using var tooMany = await client.PostAsync(TestNode.App(BatchPath), TestNode.Json(Batch(1001)));
        await ApiAssert.ErrorAsync(tooMany, HttpStatusCode.BadRequest, "InvalidRequestBody");
        Assert.Contains("at most 1000", await ErrorMessageAsync(tooMany), StringComparison.Ordinal);
        Assert.Equal(before, node.Node.Node.Ledger.LastSeqno);
    }

    [Fact]
    public async Task ABatchBodyOverTheNodesLimitIsRefusedWith413()
    {
        await using var node = await TestNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, MaxRequestBodyBytes = 4096 });
        var entries = string.Join(',', Enumerable.Repeat($"{{\"contents\":\"{new string('x', 500)}\"}}", 10));

        using var response = await node.AdminClient().PostAsync(TestNode.App(BatchPath), TestNode.Json($"{{\"entries\":[{entries}]}}"));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "RequestBodyTooLarge");
    }

    [Fact]
    public async Task APrivateLedgerSealsEveryEntryOfABatch()
    {
        const string Marker = "batch-secret-5c1e";
        await using var node = await TestNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, LedgerType = LedgerType.Private });
        var client = node.AdminClient();
        var entries = string.Join(',', Enumerable.Range(0, 3).Select(i => $"{{\"contents\":\"{Marker} {i}\",\"collectionId\":\"vault\"}}"));

        using var response = await client.PostAsync(TestNode.App($"{BatchPath}?waitForCommit=true"), TestNode.Json($"{{\"entries\":[{entries}]}}"));
        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
        var ids = (await TestNode.ReadJsonAsync(response)).GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("transactionId").GetString()!).ToList();
        using var read = await client.GetAsync(TestNode.App($"/app/transactions/{ids[2]}"));
        Assert.Equal($"{Marker} 2", (await TestNode.ReadJsonAsync(read)).GetProperty("entry").GetProperty("contents").GetString());
        await node.Node.DisposeAsync();

        Assert.Empty(LedgerFiles.Containing(node.DataDirectory, Marker));
        Assert.NotEmpty(LedgerFiles.Containing(node.DataDirectory, "vault"));
    }

    [Fact]
    public async Task ABackupRedirectsABatchToThePrimaryWhichAppendsIt()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var primary = cluster.Leader()!;
        var backup = cluster.Nodes.First(node => node != primary)!;
        const string Body = "{\"entries\":[{\"contents\":\"a\"},{\"contents\":\"b\"}]}";

        using var redirected = await cluster.Client(backup, followRedirects: false).PostAsync(TestNode.App($"{BatchPath}?waitForCommit=true"), TestNode.Json(Body));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal(primary.Endpoint.Port, redirected.Headers.Location!.Port);
        Assert.StartsWith(BatchPath, redirected.Headers.Location.AbsolutePath, StringComparison.Ordinal);

        using var followed = await cluster.Client(backup).PostAsync(TestNode.App($"{BatchPath}?waitForCommit=true"), TestNode.Json(Body));
        await ApiAssert.StatusAsync(followed, HttpStatusCode.OK);
        Assert.Equal(2, (await TestNode.ReadJsonAsync(followed)).GetProperty("transactions").GetArrayLength());
        Assert.True(primary.Committed.Seqno >= TransactionId.Parse(ApiAssert.TransactionId(followed)).Seqno);
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("error").GetProperty("message").GetString()!;
    }
}
