using System.Text;
using System.Text.Json.Nodes;
using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Identity;
using Vellum.Core.Receipts;

namespace Vellum.Cli.Tests.Commands;

/// <summary>
/// <c>vellum verify-receipt</c> on receipts that verify and on receipts that were tampered with:
/// the real ACL vector, and receipts built and signed with Core's identities and Merkle tree.
/// </summary>
public sealed class VerifyReceiptCommandTests : IDisposable
{
    private static readonly byte[] SecretKey = Enumerable.Range(1, LedgerEntryClaim.SecretKeyBytes).Select(i => (byte)i).ToArray();

    private readonly TempDirectory _files = new();
    private readonly TestLedger _ledger = new();

    public void Dispose()
    {
        _ledger.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task RealAclReceiptVerifiesAndTheSummaryNamesItsTransactionNodeAndSignedRoot()
    {
        var result = await CliResult.RunAsync("verify-receipt", "--receipt", AclVectorFiles.ReceiptPath, "--service-cert", AclVectorFiles.ServiceCertificatePath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.Equal("valid", result.OutputLines[0]);
        var vector = AclVectorFiles.Receipt();
        var summary = Summary.Parse(result.OutputLines[1]);
        Assert.Equal("2.35", summary.TransactionId);
        Assert.Equal(vector["node_id"]!.GetValue<string>(), summary.NodeId);

        // The printed root is the one the node signed: check it against the vector's signature directly.
        using var nodeCertificate = Pem.ReadCertificate(vector["cert"]!.GetValue<string>());
        var signature = Convert.FromBase64String(vector["signature"]!.GetValue<string>());
        Assert.True(NodeIdentity.VerifyRootSignature(nodeCertificate, Sha256Hash.ParseHex(summary.Root), signature));
    }

    [Fact]
    public async Task WholeResponseBuiltByCoreVerifies()
    {
        var response = _ledger.ReceiptForAnEntryAmongOthers();

        var result = await VerifyAsync(ReceiptJson.Serialize(response));

        AssertValid(result, response);
        Assert.DoesNotContain("claim", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BareReceiptObjectVerifiesAndItsTransactionIdComesFromTheCommitEvidence()
    {
        var response = _ledger.ReceiptForAnEntryAmongOthers();

        var result = await VerifyAsync(ReceiptJson.Serialize(response.Receipt!));

        AssertValid(result, response);
    }

    [Fact]
    public async Task SnakeCaseReceiptAsTheServiceReturnedIn2022Verifies()
    {
        var response = _ledger.ReceiptForAnEntryAmongOthers();
        var json = Parse(response);
        json["receipt"] = SnakeCase(json["receipt"]!.AsObject());
        Assert.Contains("leaf_components", json.ToJsonString(), StringComparison.Ordinal);

        var result = await VerifyAsync(json.ToJsonString());

        AssertValid(result, response);
    }

    [Fact]
    public async Task ResponseWhoseApplicationClaimsMatchTheClaimsDigestVerifies()
    {
        var response = _ledger.ReceiptForAnEntryAmongOthers([new LedgerEntryClaim("subledger:0", "Hello world", SecretKey)]);
        Assert.NotEqual(Sha256Hash.Zero, response.Receipt!.LeafComponents.ClaimsDigest);

        var result = await VerifyAsync(ReceiptJson.Serialize(response));

        AssertValid(result, response);
        Assert.EndsWith(", 1 application claim checked", result.OutputLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResponseWithTamperedApplicationClaimsIsInvalid()
    {
        var response = _ledger.ReceiptForAnEntryAmongOthers([new LedgerEntryClaim("subledger:0", "Hello world", SecretKey)]);
        var json = Parse(response);
        json["applicationClaims"]![0]!["ledgerEntry"]!["contents"] = "Hello w0rld";

        var result = await VerifyAsync(json.ToJsonString());

        AssertInvalid(result, ReceiptCheck.Claims, "claims digest");
    }

    [Fact]
    public async Task TamperedProofStepIsInvalid()
    {
        var json = Parse(_ledger.ReceiptForAnEntryAmongOthers());
        var step = json["receipt"]!["proof"]![1]!.AsObject();
        var side = step.Single().Key;
        step[side] = FlipFirstHexDigit(step[side]!.GetValue<string>());

        var result = await VerifyAsync(json.ToJsonString());

        AssertInvalid(result, ReceiptCheck.Signature, "does not verify over the root");
    }

    [Fact]
    public async Task SignatureOverAnotherRootIsInvalid()
    {
        var json = Parse(_ledger.ReceiptForAnEntryAmongOthers());
        var otherRoot = Sha256Hash.Of(Encoding.UTF8.GetBytes("another root"));
        json["receipt"]!["signature"] = Convert.ToBase64String(_ledger.Node.SignRoot(otherRoot));

        var result = await VerifyAsync(json.ToJsonString());

        AssertInvalid(result, ReceiptCheck.Signature, "does not verify over the root");
    }

    [Fact]
    public async Task TamperedLeafIsInvalid()
    {
        var json = Parse(_ledger.ReceiptForAnEntryAmongOthers());
        var leaf = json["receipt"]!["leafComponents"]!;
        leaf["writeSetDigest"] = FlipFirstHexDigit(leaf["writeSetDigest"]!.GetValue<string>());

        var result = await VerifyAsync(json.ToJsonString());

        AssertInvalid(result, ReceiptCheck.Signature, "does not verify over the root");
    }

    [Fact]
    public async Task NodeIdOfAnotherKeyIsInvalid()
    {
        var json = Parse(_ledger.ReceiptForAnEntryAmongOthers());
        json["receipt"]!["nodeId"] = FlipFirstHexDigit(json["receipt"]!["nodeId"]!.GetValue<string>());

        var result = await VerifyAsync(json.ToJsonString());

        AssertInvalid(result, ReceiptCheck.NodeId, "nodeId");
    }

    [Fact]
    public async Task ReceiptCheckedAgainstAnotherServiceCertificateIsInvalid()
    {
        var json = ReceiptJson.Serialize(_ledger.ReceiptForAnEntryAmongOthers());
        using var otherService = TestLedger.CreateService();

        var result = await VerifyAsync(json, otherService.CertificatePem);

        AssertInvalid(result, ReceiptCheck.Endorsements, "not signed by the service certificate");
    }

    [Fact]
    public async Task RealAclReceiptCheckedAgainstAnotherServiceCertificateIsInvalid()
    {
        var result = await VerifyAsync(File.ReadAllText(AclVectorFiles.ReceiptPath), _ledger.Service.CertificatePem);

        AssertInvalid(result, ReceiptCheck.Endorsements, "not signed by the service certificate");
    }

    [Fact]
    public async Task ResponseWhoseTransactionIdIsNotTheSignedOneIsInvalid()
    {
        var response = _ledger.ReceiptForAnEntryAmongOthers();
        var json = Parse(response);
        var otherId = new TransactionId(response.TransactionId!.Value.View, response.TransactionId.Value.Seqno + 1);
        json["transactionId"] = otherId.ToString();

        var result = await VerifyAsync(json.ToJsonString());

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.StartsWith($"invalid: the response names transaction {otherId}, but the signed commit evidence is for {response.TransactionId}", result.Error, StringComparison.Ordinal);
    }

    private static void AssertValid(CliResult result, TransactionReceipt response)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.Equal(2, result.OutputLines.Length);
        Assert.Equal("valid", result.OutputLines[0]);
        var summary = Summary.Parse(result.OutputLines[1]);
        Assert.Equal(response.TransactionId.ToString(), summary.TransactionId);
        Assert.Equal(response.Receipt!.NodeId, summary.NodeId);
        Assert.Equal(response.Receipt.ComputeRoot().ToHex(), summary.Root);
    }

    private static void AssertInvalid(CliResult result, ReceiptCheck check, string reasonPart)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.StartsWith("invalid: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(reasonPart, result.Error, StringComparison.Ordinal);
        Assert.Contains($"({check} check)", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private async Task<CliResult> VerifyAsync(string receiptJson, string? serviceCertificatePem = null)
    {
        var receipt = _files.Write("receipt.json", receiptJson);
        var certificate = _files.Write("service.pem", serviceCertificatePem ?? _ledger.Service.CertificatePem);
        return await CliResult.RunAsync("verify-receipt", "--receipt", receipt, "--service-cert", certificate);
    }

    private static JsonObject Parse(TransactionReceipt response) => JsonNode.Parse(ReceiptJson.Serialize(response))!.AsObject();

    private static string FlipFirstHexDigit(string hex) => (hex[0] == '0' ? "1" : "0") + hex[1..];

    /// <summary>Renames every key of an object tree from camelCase to snake_case.</summary>
    private static JsonObject SnakeCase(JsonObject source)
    {
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            var name = string.Concat(key.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));
            result[name] = value is JsonObject inner ? SnakeCase(inner) : value?.DeepClone();
        }

        return result;
    }

    /// <summary>The success summary, <c>transaction T, node N, root R[, …]</c>, split into its parts.</summary>
    private sealed record Summary(string TransactionId, string NodeId, string Root)
    {
        public static Summary Parse(string line)
        {
            var parts = line.Split(", ");
            Assert.True(parts.Length >= 3, line);
            return new Summary(After(parts[0], "transaction "), After(parts[1], "node "), After(parts[2], "root "));
        }

        private static string After(string part, string prefix)
        {
            Assert.StartsWith(prefix, part, StringComparison.Ordinal);
            return part[prefix.Length..];
        }
    }
}
