using System.Text.Json;
using Vellum.Core.Claims;
using Vellum.Core.Merkle;

namespace Vellum.Core.Receipts;

/// <summary>
/// Reads receipts and receipt responses from JSON, accepting camelCase or snake_case keys as ACL's
/// Python verifier does. Every shape error becomes a <see cref="ReceiptFormatException"/> that
/// names the field, so malformed input never surfaces as a crash deep inside verification.
/// </summary>
internal static class ReceiptJsonReader
{
    private const string ReceiptPath = "receipt";

    /// <summary>Parses a whole response, or a bare receipt object as a ready response without a transaction id.</summary>
    public static TransactionReceipt ParseTransactionReceipt(string json)
    {
        using var document = ParseDocument(json);
        try
        {
            return ReadTransactionReceipt(document.RootElement);
        }
        catch (ReceiptFormatException)
        {
            throw;
        }
        catch (FormatException exception)
        {
            throw new ReceiptFormatException(exception.Message, exception);
        }
    }

    private static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new ReceiptFormatException($"The receipt is not valid JSON: {exception.Message}", exception);
        }
    }

    private static TransactionReceipt ReadTransactionReceipt(JsonElement root)
    {
        var fields = JsonFields.ReadObject(root, "the document", acceptSnakeCase: true);

        // A bare receipt has none of the envelope's fields; its own required fields are checked below.
        if (!fields.ContainsKey("receipt") && !fields.ContainsKey("state") && !fields.ContainsKey("transactionId"))
        {
            return TransactionReceipt.Ready(null, ReadReceipt(root), null);
        }

        var transactionId = ReadTransactionId(fields);
        var hasReceipt = fields.TryGetValue("receipt", out var receiptElement) && receiptElement.ValueKind != JsonValueKind.Null;
        var state = ReadState(fields, hasReceipt);
        if (state == ReceiptState.Loading)
        {
            return TransactionReceipt.Loading(transactionId);
        }

        if (!hasReceipt)
        {
            throw JsonFields.Error("the document", "has state \"Ready\" but no receipt");
        }

        IReadOnlyList<ApplicationClaim>? claims = null;
        if (fields.TryGetValue("applicationClaims", out var claimsElement) && claimsElement.ValueKind != JsonValueKind.Null)
        {
            claims = ApplicationClaimJson.ParseList(claimsElement, "applicationClaims");
        }

        return TransactionReceipt.Ready(transactionId, ReadReceipt(receiptElement), claims);
    }

    private static TransactionId? ReadTransactionId(Dictionary<string, JsonElement> fields)
    {
        if (!fields.TryGetValue("transactionId", out var element))
        {
            return null;
        }

        // ACL answered a receipt request that was still loading with "transactionId": "".
        var text = JsonFields.GetString(element, "transactionId");
        if (text.Length == 0)
        {
            return null;
        }

        if (!Core.TransactionId.TryParse(text, out var id, out var error))
        {
            throw JsonFields.Error("transactionId", $"is invalid: {error}");
        }

        return id;
    }

    private static ReceiptState ReadState(Dictionary<string, JsonElement> fields, bool hasReceipt)
    {
        if (!fields.TryGetValue("state", out var element))
        {
            return hasReceipt ? ReceiptState.Ready : ReceiptState.Loading;
        }

        var text = JsonFields.GetString(element, "state");
        return text switch
        {
            nameof(ReceiptState.Ready) => ReceiptState.Ready,
            nameof(ReceiptState.Loading) => ReceiptState.Loading,
            _ => throw JsonFields.Error("state", $"is \"{text}\", not \"Ready\" or \"Loading\""),
        };
    }

    private static Receipt ReadReceipt(JsonElement element)
    {
        var fields = JsonFields.ReadObject(element, ReceiptPath, acceptSnakeCase: true);
        var cert = JsonFields.RequireString(fields, "cert", ReceiptPath);
        var leafComponents = ReadLeafComponents(JsonFields.Require(fields, "leafComponents", ReceiptPath));
        string? nodeId = null;
        if (fields.TryGetValue("nodeId", out var nodeIdElement))
        {
            nodeId = JsonFields.GetString(nodeIdElement, $"{ReceiptPath}.nodeId");
        }

        var proof = ReadProof(JsonFields.Require(fields, "proof", ReceiptPath));
        var endorsements = new List<string>();
        if (fields.TryGetValue("serviceEndorsements", out var endorsementsElement))
        {
            var path = $"{ReceiptPath}.serviceEndorsements";
            foreach (var item in JsonFields.GetArray(endorsementsElement, path))
            {
                endorsements.Add(JsonFields.GetString(item, $"{path}[{endorsements.Count}]"));
            }
        }

        var signaturePath = $"{ReceiptPath}.signature";
        var signature = JsonFields.ParseBase64(JsonFields.RequireString(fields, "signature", ReceiptPath), signaturePath);
        if (signature.Length == 0)
        {
            throw JsonFields.Error(signaturePath, "is empty");
        }

        return new Receipt(leafComponents, proof, signature, cert, nodeId, endorsements);
    }

    private static LeafComponents ReadLeafComponents(JsonElement element)
    {
        var path = $"{ReceiptPath}.leafComponents";
        var fields = JsonFields.ReadObject(element, path, acceptSnakeCase: true);
        var writeSetDigest = JsonFields.ParseHash(JsonFields.RequireString(fields, "writeSetDigest", path), $"{path}.writeSetDigest");
        var commitEvidence = JsonFields.RequireString(fields, "commitEvidence", path);
        var claimsDigest = JsonFields.ParseHash(JsonFields.RequireString(fields, "claimsDigest", path), $"{path}.claimsDigest");
        return new LeafComponents(writeSetDigest, commitEvidence, claimsDigest);
    }

    private static List<ProofStep> ReadProof(JsonElement element)
    {
        var steps = new List<ProofStep>();
        foreach (var item in JsonFields.GetArray(element, $"{ReceiptPath}.proof"))
        {
            var path = $"{ReceiptPath}.proof[{steps.Count}]";
            var fields = JsonFields.ReadObject(item, path, acceptSnakeCase: false);
            var hasLeft = fields.TryGetValue("left", out var left);
            var hasRight = fields.TryGetValue("right", out var right);
            if (hasLeft == hasRight)
            {
                throw JsonFields.Error(path, hasLeft ? "has both \"left\" and \"right\"" : "has neither \"left\" nor \"right\"");
            }

            var side = hasLeft ? ProofSide.Left : ProofSide.Right;
            var name = hasLeft ? "left" : "right";
            var sibling = JsonFields.ParseHash(JsonFields.GetString(hasLeft ? left : right, $"{path}.{name}"), $"{path}.{name}");
            steps.Add(new ProofStep(side, sibling));
        }

        return steps;
    }
}
