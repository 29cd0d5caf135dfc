using System.Text.Json;
using Vellum.Client.Tests.Support;
using Vellum.Core;
using Vellum.Node.Tests.Compatibility;

namespace Vellum.Client.Tests.Compatibility;

/// <summary>
/// ACL's official JavaScript client (<c>@azure-rest/confidential-ledger</c> 1.0.0, driven by
/// <c>tests/compat-js/acl-client.mjs</c>) and this SDK share one live ledger: what either writes
/// the other reads, lists across pages and holds a receipt for that verifies offline.
/// </summary>
public sealed class CrossClientTests(SmallPagesNode fixture) : IClassFixture<SmallPagesNode>, IDisposable
{
    private const int Entries = 4;
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    private readonly TempFolder _files = new();

    public void Dispose() => _files.Dispose();

    [JavaScriptClientFact]
    public async Task EntriesTheJavaScriptClientWritesAreReadListedAndTheirReceiptsVerifiedByTheSdk()
    {
        var written = (await RunScriptAsync("write", "--collection", "from-js", "--count", Entries.ToString(System.Globalization.CultureInfo.InvariantCulture))).GetProperty("crossWrite");
        var expected = written.GetProperty("entries").EnumerateArray()
            .Select(entry => new LedgerEntry(TransactionId.Parse(entry.GetProperty("transactionId").GetString()!), "from-js", entry.GetProperty("contents").GetString()!, []))
            .ToList();
        var client = fixture.Node.AdminClient();

        var read = new List<LedgerEntry>();
        foreach (var entry in expected)
        {
            read.Add(await client.GetLedgerEntryAsync(entry.TransactionId, "from-js"));
            var receipt = await client.GetReceiptAsync(entry.TransactionId);
            var verdict = receipt.VerifyEntry(fixture.Node.Identity.ServiceCertificatePem, entry.Contents, "from-js");
            Assert.True(verdict.IsValid, $"{entry.TransactionId}: {verdict}");
        }

        var listed = await client.GetLedgerEntriesAsync("from-js").ToListAsync();

        Assert.Equal(Entries, expected.Count);
        Assert.Equal(expected.Select(Key), read.Select(Key));
        Assert.Equal(expected.Select(Key), listed.Select(Key));
    }

    [JavaScriptClientFact]
    public async Task EntriesTheSdkWritesAreReadAndListedByTheJavaScriptClientWhoseReceiptsTheSdkVerifies()
    {
        var client = fixture.Node.AdminClient();
        var written = new List<(string Id, string Contents)>();
        for (var i = 0; i < Entries; i++)
        {
            var contents = $"written by the .NET SDK, entry {i}";
            var result = await client.PostLedgerEntryAsync(contents, "from-sdk", waitForCommit: i == Entries - 1);
            written.Add((result.TransactionId.ToString(), contents));
        }

        var output = Path.Combine(_files.Path, "receipts");
        Directory.CreateDirectory(output);
        var read = (await RunScriptAsync(["read", "--collection", "from-sdk", "--out", output, .. written.SelectMany(entry => new[] { "--tx", entry.Id })])).GetProperty("crossRead");

        Assert.Equal(written, Pairs(read.GetProperty("entries")));
        Assert.All(read.GetProperty("entries").EnumerateArray(), entry => Assert.Equal("from-sdk", entry.GetProperty("collectionId").GetString()));
        Assert.Equal(written, Pairs(read.GetProperty("listed")));
        var receiptFiles = read.GetProperty("receiptFiles").EnumerateArray().Select(file => file.GetString()!).ToList();
        Assert.Equal(Entries, receiptFiles.Count);
        foreach (var (file, entry) in receiptFiles.Zip(written))
        {
            var receipt = LedgerReceipt.Parse(await File.ReadAllTextAsync(file));
            Assert.Equal(entry.Id, receipt.TransactionId.ToString());
            var verdict = receipt.VerifyEntry(fixture.Node.Identity.ServiceCertificatePem, entry.Contents, "from-sdk");
            Assert.True(verdict.IsValid, $"{entry.Id}: {verdict}");
        }
    }

    private static (string, string, string) Key(LedgerEntry entry) => (entry.TransactionId.ToString(), entry.CollectionId, entry.Contents);

    private static List<(string Id, string Contents)> Pairs(JsonElement entries) =>
        entries.EnumerateArray().Select(entry => (entry.GetProperty("transactionId").GetString()!, entry.GetProperty("contents").GetString()!)).ToList();

    // Runs one mode of acl-client.mjs against the node as its Administrator and returns its result line, which must say every step ran.
    private async Task<JsonElement> RunScriptAsync(params string[] modeArguments)
    {
        Assert.True(CompatJs.MissingReason is null, CompatJs.MissingReason);
        var node = fixture.Node;
        string[] arguments =
        [
            "--mode", .. modeArguments,
            "--endpoint", $"https://localhost:{node.Endpoint.Port}",
            "--ledger-id", node.Node.LedgerName,
            "--cert", Path.Combine(node.Node.DataDirectory, "user_admin_cert.pem"),
            "--key", Path.Combine(node.Node.DataDirectory, "user_admin_key.pem"),
        ];

        // The identity fetch trusts the node's service certificate as ACL's public identity service would be trusted.
        var environment = new Dictionary<string, string> { ["NODE_EXTRA_CA_CERTS"] = Path.Combine(node.Node.DataDirectory, "service_cert.pem") };
        var output = await NodeScript.RunAsync(Path.Combine(CompatJs.Directory, "acl-client.mjs"), arguments, environment, ScriptTimeout);
        var lines = output.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(output.ExitCode == 0 && lines.Length == 1, $"acl-client.mjs exited {output.ExitCode}:\n{output.StandardOutput}\nstderr:\n{output.StandardError}");
        using var document = JsonDocument.Parse(lines[0]);
        Assert.True(document.RootElement.GetProperty("ok").GetBoolean(), lines[0]);
        return document.RootElement.Clone();
    }
}
