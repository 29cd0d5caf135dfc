using System.Net;
using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Receipts;
using Vellum.Node.Tests.Cluster;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Privacy;

/// <summary>
/// Private ledgers (docs/threat-model.md): contents are sealed in the ledger files and the
/// replication stream, read back in the clear through the API, verified by receipts, and a
/// modified ciphertext is refused rather than served.
/// </summary>
public sealed class PrivateLedgerTests
{
    private const string Marker = "confidential-marker-7d3a";

    private static Task<TestNode> StartPrivateAsync(string? dataDirectory = null, int maxEntriesPerPage = 100)
        => TestNode.StartAsync(options => new NodeOptions
        {
            DataDirectory = options.DataDirectory,
            Listen = options.Listen,
            LedgerType = LedgerType.Private,
            MaxEntriesPerPage = maxEntriesPerPage,
        }, dataDirectory);

    [Fact]
    public async Task PrivateEntriesReadBackThroughEveryReadRouteButNeverAppearInTheLedgerFiles()
    {
        await using var node = await StartPrivateAsync(maxEntriesPerPage: 2);
        var client = node.AdminClient();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await TestNode.AppendAsync(client, $"{Marker} {i}", "payments", waitForCommit: true));
        }

        using var tagged = await client.PostAsync(TestNode.App("/app/transactions?collectionId=payments&tags=audit&waitForCommit=true"), TestNode.Json($"{{\"contents\":\"{Marker} tagged\"}}"));
        Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);

        using var one = await client.GetAsync(TestNode.App($"/app/transactions/{ids[2]}"));
        Assert.Equal($"{Marker} 2", (await TestNode.ReadJsonAsync(one)).GetProperty("entry").GetProperty("contents").GetString());
        using var current = await client.GetAsync(TestNode.App("/app/transactions/current?collectionId=payments"));
        Assert.Equal($"{Marker} tagged", (await TestNode.ReadJsonAsync(current)).GetProperty("contents").GetString());
        using var byTag = await client.GetAsync(TestNode.App("/app/transactions?collectionId=payments&tag=audit"));
        var tagEntry = Assert.Single((await TestNode.ReadJsonAsync(byTag)).GetProperty("entries").EnumerateArray());
        Assert.Equal("audit", tagEntry.GetProperty("tags").GetString());

        var listed = new List<string>();
        var link = TestNode.App("/app/transactions?collectionId=payments");
        while (link is not null)
        {
            using var page = await client.GetAsync(link);
            var body = await TestNode.ReadJsonAsync(page);
            listed.AddRange(body.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty("contents").GetString()!));
            link = body.TryGetProperty("nextLink", out var next) ? next.GetString() : null;
        }

        Assert.Equal([.. Enumerable.Range(0, 5).Select(i => $"{Marker} {i}"), $"{Marker} tagged"], listed);

        await node.RestartAsync();
        using var afterRestart = await node.AdminClient().GetAsync(TestNode.App($"/app/transactions/{ids[4]}"));
        Assert.Equal($"{Marker} 4", (await TestNode.ReadJsonAsync(afterRestart)).GetProperty("entry").GetProperty("contents").GetString());
        await node.Node.DisposeAsync();

        Assert.Empty(LedgerFiles.Containing(node.DataDirectory, Marker));
        Assert.NotEmpty(LedgerFiles.Containing(node.DataDirectory, "payments"));
    }

    [Fact]
    public async Task ReceiptsOfPrivateEntriesCarryTheirClaimAndVerify()
    {
        await using var node = await StartPrivateAsync();
        var client = node.AdminClient();
        var id = await TestNode.AppendAsync(client, Marker, "payments", waitForCommit: true);
        await TestNode.AppendAsync(client, "a later entry, so a later signature covers the first", waitForCommit: true);

        using var response = await client.GetAsync(TestNode.App($"/app/transactions/{id}/receipt"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var receipt = ReceiptJson.ParseTransactionReceipt(await response.Content.ReadAsStringAsync());
        var claim = Assert.IsType<LedgerEntryClaim>(Assert.Single(receipt.ApplicationClaims));
        Assert.Equal(Marker, claim.Contents);
        Assert.Equal("payments", claim.CollectionId);
        var result = ReceiptVerifier.Verify(receipt.Receipt!, node.Node.ServiceCertificatePem, receipt.ApplicationClaims);
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public async Task AModifiedCiphertextIsAnsweredWithAnErrorAndNeverWithItsDecryption()
    {
        await using var node = await StartPrivateAsync();
        var client = node.AdminClient();
        var id = await TestNode.AppendAsync(client, Marker, "tampered", waitForCommit: true);
        await TestNode.AppendAsync(client, "a later entry, so a later signature covers the first", waitForCommit: true);

        // Changed under the running node, which reads committed entries from the file: a restart
        // would refuse the ledger earlier, as its Merkle tree no longer matches the signed root.
        LedgerFiles.FlipCiphertextByte(node.DataDirectory, "tampered");

        foreach (var path in new[] { $"/app/transactions/{id}", $"/app/transactions/{id}/receipt", "/app/transactions/current?collectionId=tampered", "/app/transactions?collectionId=tampered" })
        {
            using var response = await client.GetAsync(TestNode.App(path));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{path}: {(int)response.StatusCode} {text}");
            Assert.Equal("InternalError", (await TestNode.ReadJsonAsync(response)).GetProperty("error").GetProperty("code").GetString());
            Assert.Contains(id, text, StringComparison.Ordinal);
            Assert.DoesNotContain("confidential", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AModifiedCiphertextStopsTheLedgerFromOpeningBecauseItsLeafNoLongerMatchesTheSignedRoot()
    {
        using var files = new TemporaryDirectory();
        var directory = Path.Combine(files.Path, "data");
        await using (var node = await StartPrivateAsync(directory))
        {
            await TestNode.AppendAsync(node.AdminClient(), Marker, "tampered", waitForCommit: true);
        }

        LedgerFiles.FlipCiphertextByte(directory, "tampered");

        await Assert.ThrowsAsync<Storage.LedgerCorruptException>(() => StartPrivateAsync(directory));
    }

    [Fact]
    public async Task AnExistingLedgerCannotStartAsTheOtherType()
    {
        using var files = new TemporaryDirectory();
        var privateFolder = Path.Combine(files.Path, "private");
        await (await StartPrivateAsync(privateFolder)).DisposeAsync();
        Assert.True(File.Exists(Path.Combine(privateFolder, "ledger_secret.key")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(privateFolder, "ledger_secret.key")));
        }

        var asPublic = await Assert.ThrowsAsync<NodeStartException>(() => VellumNode.StartAsync(new NodeOptions
        {
            DataDirectory = privateFolder,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            LedgerType = LedgerType.Public,
        }));
        Assert.Contains("cannot become public", asPublic.Message, StringComparison.Ordinal);

        var publicFolder = Path.Combine(files.Path, "public");
        await (await TestNode.StartAsync(dataDirectory: publicFolder)).DisposeAsync();
        Assert.False(File.Exists(Path.Combine(publicFolder, "ledger_secret.key")));
        var asPrivate = await Assert.ThrowsAsync<NodeStartException>(() => StartPrivateAsync(publicFolder));
        Assert.Contains("cannot become private", asPrivate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APrivateLedgerWithoutItsSecretFileRefusesToStart()
    {
        using var files = new TemporaryDirectory();
        var directory = Path.Combine(files.Path, "data");
        await (await StartPrivateAsync(directory)).DisposeAsync();
        File.Delete(Path.Combine(directory, "ledger_secret.key"));

        var refused = await Assert.ThrowsAsync<NodeStartException>(() => VellumNode.StartAsync(new NodeOptions { DataDirectory = directory, Listen = new IPEndPoint(IPAddress.Loopback, 0) }));
        Assert.Contains("ledger_secret.key is missing", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APrivateClusterReplicatesSealedEntriesThatABackupReadsInTheClear()
    {
        await using var cluster = await LocalCluster.StartAsync(3, LedgerType.Private);
        var primary = cluster.Leader()!;
        var id = await TestNode.AppendAsync(cluster.Client(primary), Marker, "payments", waitForCommit: true);
        var committed = TransactionId.Parse(id);
        var founderSecret = await File.ReadAllBytesAsync(Path.Combine(cluster.Options[0].DataDirectory, "ledger_secret.key"));

        for (var i = 0; i < cluster.Nodes.Count; i++)
        {
            var node = cluster.Nodes[i]!;
            await LocalCluster.WaitUntilAsync(() => node.Committed.Seqno >= committed.Seqno, "every node to learn the commit");
            using var read = await cluster.Client(node).GetAsync(TestNode.App($"/app/transactions/{id}"));
            Assert.Equal(Marker, (await TestNode.ReadJsonAsync(read)).GetProperty("entry").GetProperty("contents").GetString());
            Assert.Equal(founderSecret, await File.ReadAllBytesAsync(Path.Combine(cluster.Options[i].DataDirectory, "ledger_secret.key")));
        }

        for (var i = 0; i < cluster.Nodes.Count; i++)
        {
            await cluster.StopAsync(i);
            Assert.Empty(LedgerFiles.Containing(cluster.Options[i].DataDirectory, Marker));
        }
    }
}
