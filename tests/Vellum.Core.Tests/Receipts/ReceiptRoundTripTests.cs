using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Vellum.Core.Claims;
using Vellum.Core.Receipts;

namespace Vellum.Core.Tests.Receipts;

/// <summary>Receipts built from a real tree survive JSON and verify; wrong inputs do not.</summary>
public sealed class ReceiptRoundTripTests : IDisposable
{
    private readonly TestPki _service = TestPki.CreateServiceCa();
    private readonly TestPki _node;
    private readonly TestLedger _ledger = new();

    public ReceiptRoundTripTests()
    {
        _node = _service.Issue("Test Node");
    }

    public void Dispose()
    {
        _ledger.Dispose();
        _node.Dispose();
        _service.Dispose();
    }

    [Fact]
    public void EveryEntryOfATreeGetsAReceiptThatVerifiesAfterAJsonRoundTrip()
    {
        _ledger.AppendMany(22);
        for (var seqno = 1; seqno < _ledger.Size; seqno++)
        {
            var json = ReceiptJson.Serialize(_ledger.ReceiptFor(new TransactionId(2, seqno), _node));

            var result = ReceiptVerifier.VerifyJson(json, _service.Pem);

            Assert.True(result.IsValid, $"seqno {seqno}: {result}");
        }
    }

    [Fact]
    public void AParsedReceiptHasTheFieldsItWasBuiltWith()
    {
        _ledger.AppendMany(5);
        var original = _ledger.ReceiptFor(new TransactionId(2, 3), _node);

        var parsed = ReceiptJson.ParseTransactionReceipt(ReceiptJson.Serialize(original));

        Assert.Equal(ReceiptState.Ready, parsed.State);
        Assert.Equal(original.TransactionId, parsed.TransactionId);
        Assert.Equal(original.Receipt!.LeafComponents, parsed.Receipt!.LeafComponents);
        Assert.Equal(original.Receipt.Proof, parsed.Receipt.Proof);
        Assert.Equal(original.Receipt.Signature.ToArray(), parsed.Receipt.Signature.ToArray());
        Assert.Equal(original.Receipt.Cert, parsed.Receipt.Cert);
        Assert.Equal(original.Receipt.NodeId, parsed.Receipt.NodeId);
        Assert.Equal(original.Receipt.ComputeRoot(), parsed.Receipt.ComputeRoot());
        Assert.Equal(ReceiptJson.Serialize(original), ReceiptJson.Serialize(parsed));
    }

    [Fact]
    public void WrittenJsonHasAclsCamelCaseShape()
    {
        _ledger.AppendMany(3);
        var json = JsonNode.Parse(ReceiptJson.Serialize(_ledger.ReceiptFor(new TransactionId(2, 2), _node)))!.AsObject();

        Assert.Equal(["receipt", "state", "transactionId"], json.Select(p => p.Key));
        Assert.Equal("Ready", json["state"]!.GetValue<string>());
        Assert.Equal("2.2", json["transactionId"]!.GetValue<string>());
        var receipt = json["receipt"]!.AsObject();
        Assert.Equal(["cert", "leafComponents", "nodeId", "proof", "serviceEndorsements", "signature"], receipt.Select(p => p.Key));
        Assert.Equal(["claimsDigest", "commitEvidence", "writeSetDigest"], receipt["leafComponents"]!.AsObject().Select(p => p.Key));
        Assert.Equal(new string('0', 64), receipt["leafComponents"]!["claimsDigest"]!.GetValue<string>());
        Assert.StartsWith("ce:2.2:", receipt["leafComponents"]!["commitEvidence"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["right", "left"], receipt["proof"]!.AsArray().Select(e => e!.AsObject().Single().Key));
        Assert.Empty(receipt["serviceEndorsements"]!.AsArray());
    }

    [Fact]
    public void ReceiptWithALedgerEntryClaimVerifiesWithTheClaimsInTheResponse()
    {
        _ledger.AppendMany(4);
        var claim = new LedgerEntryClaim("subledger:0", "Hello world", RandomNumberGenerator.GetBytes(32));
        var id = _ledger.Append("Hello world", [claim]);
        _ledger.AppendMany(3);
        var json = ReceiptJson.Serialize(_ledger.ReceiptFor(id, _node));

        Assert.Contains("\"applicationClaims\":[{\"kind\":\"LedgerEntry\"", json, StringComparison.Ordinal);
        Assert.True(ReceiptVerifier.VerifyJson(json, _service.Pem).IsValid);
        Assert.True(ReceiptVerifier.VerifyJson(json, _service.Pem, [claim.ToDigestClaim()]).IsValid);
        var receipt = ReceiptJson.ParseReceipt(json);
        Assert.Equal(ClaimsDigest.Compute([claim]), receipt.LeafComponents.ClaimsDigest);
        Assert.True(ReceiptVerifier.Verify(receipt, _service.Pem, [claim]).IsValid);
    }

    [Fact]
    public void ReceiptIsRejectedWithClaimsThatAreNotTheEntrys()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var id = _ledger.Append("Hello world", [new LedgerEntryClaim("subledger:0", "Hello world", key)]);
        var receipt = _ledger.ReceiptFor(id, _node).Receipt!;

        var wrongContents = ReceiptVerifier.Verify(receipt, _service.Pem, [new LedgerEntryClaim("subledger:0", "Hello world!", key)]);
        var wrongCollection = ReceiptVerifier.Verify(receipt, _service.Pem, [new LedgerEntryClaim("subledger:1", "Hello world", key)]);
        var wrongKey = ReceiptVerifier.Verify(receipt, _service.Pem, [new LedgerEntryClaim("subledger:0", "Hello world", new byte[32])]);

        Assert.All([wrongContents, wrongCollection, wrongKey], r => Assert.Equal(ReceiptCheck.Claims, r.FailedCheck));
        Assert.Contains("differs from the receipt's claimsDigest", wrongContents.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ResponseWithAlteredClaimContentsIsRejected()
    {
        var id = _ledger.Append("pay 10", [new LedgerEntryClaim("subledger:0", "pay 10", RandomNumberGenerator.GetBytes(32))]);
        var json = ReceiptJson.Serialize(_ledger.ReceiptFor(id, _node));

        var result = ReceiptVerifier.VerifyJson(json.Replace("\"contents\":\"pay 10\"", "\"contents\":\"pay 99\"", StringComparison.Ordinal), _service.Pem);

        Assert.Equal(ReceiptCheck.Claims, result.FailedCheck);
    }

    [Fact]
    public void ReceiptWithoutClaimsIsRejectedWhenClaimsAreGiven()
    {
        var id = _ledger.Append("plain");
        var receipt = _ledger.ReceiptFor(id, _node).Receipt!;

        var result = ReceiptVerifier.Verify(receipt, _service.Pem, [new LedgerEntryClaim("subledger:0", "plain", new byte[32])]);

        Assert.Equal(ReceiptCheck.Claims, result.FailedCheck);
    }

    [Fact]
    public void EndorsementChainWithOneIntermediateVerifies()
    {
        using var previousService = _service.Issue("Previous Service", isCa: true);
        using var oldNode = previousService.Issue("Old Node", curve: ECCurve.NamedCurves.nistP384, hash: HashAlgorithmName.SHA384);
        var id = _ledger.Append("before the recovery");
        var json = ReceiptJson.Serialize(_ledger.ReceiptFor(id, oldNode, [previousService.Pem]));

        Assert.True(ReceiptVerifier.VerifyJson(json, _service.Pem).IsValid);

        var withoutEndorsement = ReceiptJson.Serialize(_ledger.ReceiptFor(id, oldNode));
        var result = ReceiptVerifier.VerifyJson(withoutEndorsement, _service.Pem);
        Assert.Equal(ReceiptCheck.Endorsements, result.FailedCheck);
        Assert.Contains("the node certificate is not signed by the service certificate", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void EndorsementThatTheServiceDidNotSignIsRejected()
    {
        using var stranger = TestPki.CreateServiceCa("Stranger");
        using var strangerIntermediate = stranger.Issue("Intermediate", isCa: true);
        using var node = strangerIntermediate.Issue("Node");
        var id = _ledger.Append("entry");

        var result = ReceiptVerifier.VerifyJson(ReceiptJson.Serialize(_ledger.ReceiptFor(id, node, [strangerIntermediate.Pem])), _service.Pem);

        Assert.Equal(ReceiptCheck.Endorsements, result.FailedCheck);
        Assert.Contains("service endorsement 0 is not signed by the service certificate", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RootSignedByAnotherKeyIsRejected()
    {
        using var otherNode = _service.Issue("Other Node");
        var id = _ledger.Append("entry");
        var genuine = _ledger.ReceiptFor(id, _node).Receipt!;
        var forged = new Receipt(genuine.LeafComponents, genuine.Proof, otherNode.SignRoot(genuine.ComputeRoot()), genuine.Cert, genuine.NodeId);

        var result = ReceiptVerifier.Verify(forged, _service.Pem);

        Assert.Equal(ReceiptCheck.Signature, result.FailedCheck);
        Assert.Contains("signature does not verify over the root", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeIdOfAnotherNodeIsRejected()
    {
        using var otherNode = _service.Issue("Other Node");
        var id = _ledger.Append("entry");
        var genuine = _ledger.ReceiptFor(id, _node).Receipt!;
        var mislabelled = new Receipt(genuine.LeafComponents, genuine.Proof, genuine.Signature, genuine.Cert, Receipt.ComputeNodeId(otherNode.Pem));

        Assert.Equal(ReceiptCheck.NodeId, ReceiptVerifier.Verify(mislabelled, _service.Pem).FailedCheck);
    }

    [Fact]
    public void NodeCertificateWithAnRsaKeyIsRejected()
    {
        var id = _ledger.Append("entry");
        var genuine = _ledger.ReceiptFor(id, _node).Receipt!;
        var rsa = new Receipt(genuine.LeafComponents, genuine.Proof, genuine.Signature, _service.IssueRsa("RSA Node"), null);

        var result = ReceiptVerifier.Verify(rsa, _service.Pem);

        Assert.Equal(ReceiptCheck.NodeCertificate, result.FailedCheck);
        Assert.Contains("not an EC key", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ServiceCertificateWithAnRsaKeyOrNoCertificateAtAllIsRejected()
    {
        var id = _ledger.Append("entry");
        var receipt = _ledger.ReceiptFor(id, _node).Receipt!;

        Assert.Equal(ReceiptCheck.ServiceCertificate, ReceiptVerifier.Verify(receipt, TestPki.CreateRsaServiceCaPem()).FailedCheck);
        Assert.Equal(ReceiptCheck.ServiceCertificate, ReceiptVerifier.Verify(receipt, "not a certificate").FailedCheck);
    }

    [Fact]
    public void ProofForAnOlderRootIsRejectedAgainstTheSignatureOverTheNewerRoot()
    {
        var id = _ledger.Append("entry");
        _ledger.AppendMany(2);
        var older = _ledger.ReceiptFor(id, _node).Receipt!;
        _ledger.AppendMany(5);
        var newer = _ledger.ReceiptFor(id, _node).Receipt!;
        var mixed = new Receipt(older.LeafComponents, older.Proof, newer.Signature, older.Cert, older.NodeId);

        Assert.Equal(ReceiptCheck.Signature, ReceiptVerifier.Verify(mixed, _service.Pem).FailedCheck);
    }

    [Fact]
    public void LoadingResponseRoundTripsWithoutAReceipt()
    {
        var loading = TransactionReceipt.Loading(new TransactionId(2, 15));

        var json = ReceiptJson.Serialize(loading);
        var parsed = ReceiptJson.ParseTransactionReceipt(json);

        Assert.Equal("""{"state":"Loading","transactionId":"2.15"}""", json);
        Assert.Equal(ReceiptState.Loading, parsed.State);
        Assert.Null(parsed.Receipt);
        Assert.Equal(ReceiptCheck.Format, ReceiptVerifier.VerifyJson(json, _service.Pem).FailedCheck);
        Assert.Throws<ReceiptFormatException>(() => ReceiptJson.ParseReceipt(json));
    }
}
