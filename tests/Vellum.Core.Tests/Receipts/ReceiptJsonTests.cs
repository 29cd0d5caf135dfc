using System.Text.Json.Nodes;
using Vellum.Core.Receipts;

namespace Vellum.Core.Tests.Receipts;

/// <summary>Malformed receipt JSON gives a clear error naming the field, never a crash.</summary>
public class ReceiptJsonTests
{
    private const string Hash = "fef1aa22972daba05864a7e986c1bb94aa6b8fea43781cb48907c972e9761e71";

    [Theory]
    [InlineData("cert", "42", "receipt.cert must be a string, not a number")]
    [InlineData("cert", null, "receipt is missing the required field \"cert\"")]
    [InlineData("leaf_components", "\"x\"", "receipt.leafComponents must be an object, not a string")]
    [InlineData("leaf_components", null, "receipt is missing the required field \"leafComponents\"")]
    [InlineData("proof", "{}", "receipt.proof must be an array, not an object")]
    [InlineData("proof", null, "receipt is missing the required field \"proof\"")]
    [InlineData("proof", "[\"" + Hash + "\"]", "receipt.proof[0] must be an object, not a string")]
    [InlineData("proof", "[{\"left\":7}]", "receipt.proof[0].left must be a string, not a number")]
    [InlineData("proof", "[{\"right\":\"abc\"}]", "receipt.proof[0].right must be 64 hexadecimal characters")]
    [InlineData("proof", "[{\"left\":\"" + Hash + "\",\"right\":\"" + Hash + "\"}]", "receipt.proof[0] has both \"left\" and \"right\"")]
    [InlineData("proof", "[{\"left\":\"" + Hash + "\"},{}]", "receipt.proof[1] has neither \"left\" nor \"right\"")]
    [InlineData("proof", "[{\"up\":\"" + Hash + "\"}]", "receipt.proof[0] has neither \"left\" nor \"right\"")]
    [InlineData("signature", "\"not base64!\"", "receipt.signature is not valid base64")]
    [InlineData("signature", "\"\"", "receipt.signature is empty")]
    [InlineData("signature", "[]", "receipt.signature must be a string, not an array")]
    [InlineData("signature", null, "receipt is missing the required field \"signature\"")]
    [InlineData("node_id", "null", "receipt.nodeId must be a string, not null")]
    [InlineData("service_endorsements", "\"pem\"", "receipt.serviceEndorsements must be an array, not a string")]
    [InlineData("service_endorsements", "[1]", "receipt.serviceEndorsements[0] must be a string, not a number")]
    [InlineData("nodeId", "\"" + Hash + "\"", "receipt has both \"node_id\" and \"nodeId\"; give only one")]
    public void MalformedReceiptFieldIsRejectedWithItsPath(string field, string? json, string expected)
    {
        var text = WithReceiptField(field, json);

        var exception = Assert.Throws<ReceiptFormatException>(() => ReceiptJson.ParseTransactionReceipt(text));

        Assert.StartsWith(expected, exception.Message, StringComparison.Ordinal);
        Assert.Equal(ReceiptCheck.Format, ReceiptVerifier.VerifyJson(text, AclVectors.ServiceCertificate1Pem).FailedCheck);
    }

    [Theory]
    [InlineData("claims_digest", null, "receipt.leafComponents is missing the required field \"claimsDigest\"")]
    [InlineData("commit_evidence", null, "receipt.leafComponents is missing the required field \"commitEvidence\"")]
    [InlineData("write_set_digest", null, "receipt.leafComponents is missing the required field \"writeSetDigest\"")]
    [InlineData("write_set_digest", "\"xyz\"", "receipt.leafComponents.writeSetDigest must be 64 hexadecimal characters")]
    [InlineData("claims_digest", "\"00\"", "receipt.leafComponents.claimsDigest must be 64 hexadecimal characters")]
    [InlineData("commit_evidence", "1", "receipt.leafComponents.commitEvidence must be a string, not a number")]
    public void MalformedLeafComponentIsRejectedWithItsPath(string field, string? json, string expected)
    {
        var root = JsonNode.Parse(AclVectors.Receipt1Json)!;
        Set(root["receipt"]!["leaf_components"]!.AsObject(), field, json);

        var exception = Assert.Throws<ReceiptFormatException>(() => ReceiptJson.ParseTransactionReceipt(root.ToJsonString()));

        Assert.StartsWith(expected, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "the document must be an object, not an array")]
    [InlineData("null", "the document must be an object, not null")]
    [InlineData("{}", "receipt is missing the required field \"cert\"")]
    [InlineData("""{"state":"Ready","transactionId":"2.15"}""", "has state \"Ready\" but no receipt")]
    [InlineData("""{"state":"Ready","transactionId":"2.15","receipt":null}""", "has state \"Ready\" but no receipt")]
    [InlineData("""{"state":"Done","transactionId":"2.15"}""", "state is \"Done\"")]
    [InlineData("""{"state":"Loading","transactionId":"2.x"}""", "transactionId is invalid")]
    [InlineData("""{"state":"Loading","transactionId":15}""", "transactionId must be a string")]
    [InlineData("""{"state":"Loading","state":"Ready"}""", "has the key \"state\" twice")]
    public void MalformedResponseIsRejectedWithAReason(string json, string expected)
    {
        Assert.False(ReceiptJson.TryParseTransactionReceipt(json, out var response, out var error));
        Assert.Null(response);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedApplicationClaimsInTheResponseAreReportedAsReceiptFormatErrors()
    {
        var root = JsonNode.Parse(AclVectors.Receipt1Json)!;
        root["applicationClaims"] = JsonNode.Parse("""[{"kind":"Unknown"}]""");

        var exception = Assert.Throws<ReceiptFormatException>(() => ReceiptJson.ParseTransactionReceipt(root.ToJsonString()));

        Assert.StartsWith("applicationClaims[0].kind is \"Unknown\"", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRealLoadingResponseFrom2022Parses()
    {
        var response = ReceiptJson.ParseTransactionReceipt("""{"receipt":null,"state":"Loading","transactionId":""}""");

        Assert.Equal(ReceiptState.Loading, response.State);
        Assert.Null(response.TransactionId);
        Assert.Null(response.Receipt);
        Assert.Equal("""{"state":"Loading","transactionId":""}""", ReceiptJson.Serialize(response));
    }

    [Fact]
    public void UnknownKeysSuchAsIsSignatureTransactionAreIgnored()
    {
        var root = JsonNode.Parse(AclVectors.Receipt1Json)!;
        root["receipt"]!["leaf"] = Hash;
        root["receipt"]!["root"] = Hash;
        root["somethingNew"] = 1;

        Assert.True(ReceiptVerifier.VerifyJson(root.ToJsonString(), AclVectors.ServiceCertificate1Pem).IsValid);
    }

    [Fact]
    public void RandomCorruptionsOfARealReceiptNeverCrashTheParserOrTheVerifier()
    {
        // Seeded, so a failure reproduces; each mutation is a deletion, insertion, replacement or truncation.
        var random = new Random(20240601);
        var original = AclVectors.Receipt1Json;
        const string Alphabet = "{}[]\":,0aA_-\\ nulltrue";
        for (var i = 0; i < 3000; i++)
        {
            var position = random.Next(original.Length);
            var text = random.Next(4) switch
            {
                0 => original.Remove(position, 1),
                1 => original.Insert(position, Alphabet[random.Next(Alphabet.Length)].ToString()),
                2 => string.Concat(original.AsSpan(0, position), Alphabet[random.Next(Alphabet.Length)].ToString(), original.AsSpan(position + 1)),
                _ => original[..position],
            };

            var parsed = ReceiptJson.TryParseTransactionReceipt(text, out _, out var error);
            var result = ReceiptVerifier.VerifyJson(text, AclVectors.ServiceCertificate1Pem);

            Assert.True(parsed || error is not null);
            Assert.True(result.IsValid || result.Reason is not null);
        }
    }

    [Fact]
    public void RandomCorruptionsOfTheNodeCertificatesDerNeverCrashTheVerifier()
    {
        var random = new Random(7);
        var pem = JsonNode.Parse(AclVectors.Receipt1Json)!["receipt"]!["cert"]!.GetValue<string>();
        var der = Convert.FromBase64String(pem.Replace("-----BEGIN CERTIFICATE-----", string.Empty, StringComparison.Ordinal)
            .Replace("-----END CERTIFICATE-----", string.Empty, StringComparison.Ordinal));
        for (var i = 0; i < 2000; i++)
        {
            var corrupted = der.ToArray();
            var position = random.Next(corrupted.Length);
            if (random.Next(3) == 0)
            {
                corrupted = corrupted[..position];
            }
            else
            {
                corrupted[position] = (byte)random.Next(256);
            }

            var json = WithReceiptField("cert", System.Text.Json.JsonSerializer.Serialize(
                new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE", corrupted))));
            var result = ReceiptVerifier.VerifyJson(json, AclVectors.ServiceCertificate1Pem);

            Assert.True(result.IsValid == corrupted.AsSpan().SequenceEqual(der), $"corruption {i} at {position}: {result}");
        }
    }

    private static string WithReceiptField(string field, string? json)
    {
        var root = JsonNode.Parse(AclVectors.Receipt1Json)!;
        Set(root["receipt"]!.AsObject(), field, json);
        return root.ToJsonString();
    }

    private static void Set(JsonObject target, string field, string? json)
    {
        if (json is null)
        {
            target.Remove(field);
        }
        else
        {
            target[field] = JsonNode.Parse(json);
        }
    }
}
