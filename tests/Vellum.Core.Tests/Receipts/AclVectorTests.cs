using System.Text.Json.Nodes;
using Vellum.Core.Merkle;
using Vellum.Core.Receipts;

namespace Vellum.Core.Tests.Receipts;

/// <summary>The real ACL receipt verifies, and changing any of its fields makes it fail.</summary>
public class AclVectorTests
{
    private const string HexDigits = "0123456789abcdef";

    [Fact]
    public void TheAclReceiptVerifiesAgainstItsServiceCertificate()
    {
        var result = ReceiptVerifier.VerifyJson(AclVectors.Receipt1Json, AclVectors.ServiceCertificate1Pem);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(ReceiptCheck.None, result.FailedCheck);
        Assert.Null(result.Reason);
    }

    [Fact]
    public void AResponseRelabelledAsAnotherTransactionIsRejected()
    {
        var response = JsonNode.Parse(AclVectors.Receipt1Json)!.AsObject();
        Assert.Equal("2.35", response["transactionId"]!.GetValue<string>());
        response["transactionId"] = "2.36";

        var result = ReceiptVerifier.VerifyJson(response.ToJsonString(), AclVectors.ServiceCertificate1Pem);

        Assert.Equal(ReceiptCheck.TransactionId, result.FailedCheck);
        Assert.Contains("2.35", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAclReceiptParsesFromItsSnakeCaseKeys()
    {
        var response = ReceiptJson.ParseTransactionReceipt(AclVectors.Receipt1Json);

        Assert.Equal(ReceiptState.Ready, response.State);
        Assert.Equal(new TransactionId(2, 35), response.TransactionId);
        Assert.Empty(response.ApplicationClaims);
        var receipt = response.Receipt!;
        Assert.Equal("708c2e71b2533e5eb38e05cc344390d133c8fb336cb80481ab4e5e902e6131a5", receipt.NodeId);
        Assert.Equal(Sha256Hash.Zero, receipt.LeafComponents.ClaimsDigest);
        Assert.Equal("ce:2.35:fa08b4eae4a034971b97f0b21810951ec64b06fb2f4b5a1e80f6f4b83a23c719", receipt.LeafComponents.CommitEvidence);
        Assert.Equal("fef1aa22972daba05864a7e986c1bb94aa6b8fea43781cb48907c972e9761e71", receipt.LeafComponents.WriteSetDigest.ToHex());
        Assert.Equal([ProofSide.Left, ProofSide.Left, ProofSide.Left], receipt.Proof.Select(s => s.Side));
        Assert.Empty(receipt.ServiceEndorsements);
        Assert.Equal(72, receipt.Signature.Length);
    }

    [Fact]
    public void TheNodeIdIsTheHashOfTheNodeCertificatesPublicKey()
    {
        var receipt = ReceiptJson.ParseReceipt(AclVectors.Receipt1Json);

        Assert.Equal(receipt.NodeId, Receipt.ComputeNodeId(receipt.Cert));
    }

    [Fact]
    public void TheInnerReceiptObjectAloneVerifies()
    {
        var inner = JsonNode.Parse(AclVectors.Receipt1Json)!["receipt"]!.ToJsonString();

        Assert.True(ReceiptVerifier.VerifyJson(inner, AclVectors.ServiceCertificate1Pem).IsValid);
        Assert.Null(ReceiptJson.ParseTransactionReceipt(inner).TransactionId);
    }

    [Fact]
    public void TheAclReceiptRewrittenInCamelCaseStillVerifies()
    {
        var response = ReceiptJson.ParseTransactionReceipt(AclVectors.Receipt1Json);

        var camel = ReceiptJson.Serialize(response);

        Assert.DoesNotContain("_", JsonNode.Parse(camel)!["receipt"]!.AsObject().Select(p => p.Key));
        Assert.StartsWith("""{"receipt":{"cert":"-----BEGIN CERTIFICATE-----\nMIIB0zCCAXqgAwIBAgIRALXhnOIN/WoLnD69pfR2rvQw""", camel, StringComparison.Ordinal);
        Assert.EndsWith(
            "\"signature\":\"MEYCIQC05OyTn/a5ZKphfY4AsnnBF2Rfj0j0pNrfPtHHO5JvnwIhAPItujuzkC8enmxIsG2X82hBgHCaNoFHL9GC3XfejOUI\"},\"state\":\"Ready\",\"transactionId\":\"2.35\"}",
            camel,
            StringComparison.Ordinal);
        Assert.True(ReceiptVerifier.VerifyJson(camel, AclVectors.ServiceCertificate1Pem).IsValid);
    }

    [Fact]
    public void ReceiptWithoutItsOptionalNodeIdStillVerifies()
    {
        var json = Mutate(r => r.Remove("node_id"));

        Assert.True(ReceiptVerifier.VerifyJson(json, AclVectors.ServiceCertificate1Pem).IsValid);
    }

    [Theory]
    [InlineData("leaf_components.write_set_digest")]
    [InlineData("leaf_components.claims_digest")]
    [InlineData("proof[0].left")]
    [InlineData("proof[1].left")]
    [InlineData("proof[2].left")]
    [InlineData("node_id")]
    public void ReceiptWithAnyHexCharacterAlteredIsRejected(string field)
    {
        var original = ReadField(field);
        for (var i = 0; i < original.Length; i++)
        {
            var replacement = HexDigits[(HexDigits.IndexOf(original[i], StringComparison.Ordinal) + 1) % 16];
            var altered = string.Concat(original.AsSpan(0, i), replacement.ToString(), original.AsSpan(i + 1));

            var result = ReceiptVerifier.VerifyJson(WithField(field, altered), AclVectors.ServiceCertificate1Pem);

            Assert.False(result.IsValid, $"{field} altered at {i} was accepted");
        }
    }

    [Fact]
    public void ReceiptWithAnyCharacterOfItsCommitEvidenceAlteredIsRejected()
    {
        const string Field = "leaf_components.commit_evidence";
        var original = ReadField(Field);
        for (var i = 0; i < original.Length; i++)
        {
            var replacement = original[i] == 'a' ? 'b' : 'a';
            var altered = string.Concat(original.AsSpan(0, i), replacement.ToString(), original.AsSpan(i + 1));

            var result = ReceiptVerifier.VerifyJson(WithField(Field, altered), AclVectors.ServiceCertificate1Pem);

            // A change to the "ce:2.35:" prefix no longer names the response's transaction; any other changes the leaf.
            Assert.Contains(result.FailedCheck, new[] { ReceiptCheck.TransactionId, ReceiptCheck.Signature });
        }
    }

    [Theory]
    [InlineData("signature")]
    [InlineData("cert")]
    public void ReceiptWithAnyBase64CharacterAlteredIsRejected(string field)
    {
        var original = ReadField(field);
        var altered = 0;
        for (var i = 0; i < original.Length; i++)
        {
            if (!IsBase64Body(original, i))
            {
                continue;
            }

            var replacement = original[i] == 'A' ? 'B' : 'A';
            var text = string.Concat(original.AsSpan(0, i), replacement.ToString(), original.AsSpan(i + 1));

            var result = ReceiptVerifier.VerifyJson(WithField(field, text), AclVectors.ServiceCertificate1Pem);

            Assert.False(result.IsValid, $"{field} altered at {i} was accepted");
            altered++;
        }

        Assert.True(altered >= 96, "every base64 character was altered once");
    }

    [Fact]
    public void ReceiptWithAnAddedEndorsementIsRejected()
    {
        using var stranger = TestPki.CreateServiceCa("Stranger");
        var nodeCert = ReadField("cert");

        foreach (var endorsement in new[] { stranger.Pem, nodeCert })
        {
            var json = Mutate(r => r["service_endorsements"] = new JsonArray(endorsement));

            var result = ReceiptVerifier.VerifyJson(json, AclVectors.ServiceCertificate1Pem);

            Assert.Equal(ReceiptCheck.Endorsements, result.FailedCheck);
            Assert.Contains("the node certificate is not signed by service endorsement 0", result.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AddingTheSelfSignedServiceCertificateItselfAsAnEndorsementIsAcceptedAsInAcl()
    {
        // ACL's verifier only checks signatures along the chain, and a self-signed service
        // certificate signs itself; so does this one. The receipt's integrity is unaffected.
        var json = Mutate(r => r["service_endorsements"] = new JsonArray(AclVectors.ServiceCertificate1Pem));

        Assert.True(ReceiptVerifier.VerifyJson(json, AclVectors.ServiceCertificate1Pem).IsValid);
    }

    [Fact]
    public void TheAclReceiptIsRejectedWithAnotherServiceCertificate()
    {
        using var other = TestPki.CreateServiceCa("CCF Network");

        var result = ReceiptVerifier.VerifyJson(AclVectors.Receipt1Json, other.Pem);

        Assert.Equal(ReceiptCheck.Endorsements, result.FailedCheck);
        Assert.Contains("the node certificate is not signed by the service certificate", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AProofElementWithBothSidesIsRejected()
    {
        var json = Mutate(r => r["proof"]![1]!["right"] = "5e949d6d17b88900aeb8fb292f041075272d3b58108f2016a3ceea2a47ffad8f");

        var result = ReceiptVerifier.VerifyJson(json, AclVectors.ServiceCertificate1Pem);

        Assert.Equal(ReceiptCheck.Format, result.FailedCheck);
        Assert.Equal("receipt.proof[1] has both \"left\" and \"right\".", result.Reason);
    }

    [Fact]
    public void AProofElementWithNeitherSideIsRejected()
    {
        var json = Mutate(r => r["proof"]!.AsArray()[2] = new JsonObject());

        var result = ReceiptVerifier.VerifyJson(json, AclVectors.ServiceCertificate1Pem);

        Assert.Equal(ReceiptCheck.Format, result.FailedCheck);
        Assert.Equal("receipt.proof[2] has neither \"left\" nor \"right\".", result.Reason);
    }

    [Fact]
    public void ReceiptWithAProofElementRemovedOrSwappedIsRejected()
    {
        Assert.False(ReceiptVerifier.VerifyJson(Mutate(r => r["proof"]!.AsArray().RemoveAt(0)), AclVectors.ServiceCertificate1Pem).IsValid);
        Assert.False(ReceiptVerifier.VerifyJson(Mutate(SwapFirstTwoProofElements), AclVectors.ServiceCertificate1Pem).IsValid);
        Assert.False(ReceiptVerifier.VerifyJson(Mutate(r => r["proof"]![0] = new JsonObject { ["right"] = ReadField("proof[0].left") }), AclVectors.ServiceCertificate1Pem).IsValid);
    }

    private static void SwapFirstTwoProofElements(JsonObject receipt)
    {
        var proof = receipt["proof"]!.AsArray();
        var first = proof[0]!.DeepClone();
        proof[0] = proof[1]!.DeepClone();
        proof[1] = first;
    }

    private static bool IsBase64Body(string text, int index)
    {
        if (!char.IsAsciiLetterOrDigit(text[index]) && text[index] is not ('+' or '/'))
        {
            return false;
        }

        // Skip the PEM armour lines, whose letters are not base64 data.
        var lineStart = text.LastIndexOf('\n', Math.Max(index - 1, 0)) + 1;
        return !text.AsSpan(lineStart).StartsWith("-----");
    }

    private static string ReadField(string path)
    {
        var receipt = JsonNode.Parse(AclVectors.Receipt1Json)!["receipt"]!;
        return Navigate(receipt, path).GetValue<string>();
    }

    private static string WithField(string path, string value) => Mutate(receipt =>
    {
        var dot = path.LastIndexOf('.');
        var parent = dot < 0 ? receipt : Navigate(receipt, path[..dot]);
        parent[path[(dot + 1)..]] = value;
    });

    private static string Mutate(Action<JsonObject> change)
    {
        var root = JsonNode.Parse(AclVectors.Receipt1Json)!;
        change(root["receipt"]!.AsObject());
        return root.ToJsonString();
    }

    private static JsonNode Navigate(JsonNode node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = bracket < 0
                ? node[part]!
                : node[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
        }

        return node;
    }
}
