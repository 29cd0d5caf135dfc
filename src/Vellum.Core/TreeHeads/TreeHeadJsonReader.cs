using System.Buffers;
using System.Text;
using System.Text.Json;
using Vellum.Core.Claims;

namespace Vellum.Core.TreeHeads;

/// <summary>
/// Reads signed tree heads and consistency responses from JSON. Every shape error becomes a
/// <see cref="TreeHeadFormatException"/> that names the field by its JSON path, so malformed input
/// from a node or a file never surfaces as a crash inside verification.
/// </summary>
internal static class TreeHeadJsonReader
{
    /// <summary>Parses <paramref name="json"/> and reads its root element with <paramref name="read"/>.</summary>
    public static T Parse<T>(string json, Func<JsonElement, string, T> read)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new TreeHeadFormatException($"The document is not valid JSON: {exception.Message}", exception);
        }

        using (document)
        {
            try
            {
                return read(document.RootElement, "the document");
            }
            catch (TreeHeadFormatException)
            {
                throw;
            }
            catch (FormatException exception)
            {
                throw new TreeHeadFormatException(exception.Message, exception);
            }
        }
    }

    /// <summary>Reads one head object at <paramref name="path"/>.</summary>
    public static SignedTreeHead ReadHead(JsonElement element, string path)
    {
        var fields = JsonFields.ReadObject(element, path, acceptSnakeCase: false);
        var treeSize = ReadTreeSize(JsonFields.Require(fields, "treeSize", path), $"{path}.treeSize");
        var root = JsonFields.ParseHash(JsonFields.RequireString(fields, "root", path), $"{path}.root");
        var idText = JsonFields.RequireString(fields, "transactionId", path);
        if (!TransactionId.TryParse(idText, out var transactionId, out var idError))
        {
            throw JsonFields.Error($"{path}.transactionId", $"is invalid: {idError}");
        }

        if (transactionId.Seqno != treeSize)
        {
            throw JsonFields.Error(path, $"names tree size {treeSize} but signature transaction {transactionId}; a head's tree size is its transaction's seqno");
        }

        var signature = JsonFields.ParseBase64(JsonFields.RequireString(fields, "signature", path), $"{path}.signature");
        if (signature.Length == 0)
        {
            throw JsonFields.Error($"{path}.signature", "is empty");
        }

        var cert = JsonFields.RequireString(fields, "cert", path);
        string? nodeId = null;
        if (fields.TryGetValue("nodeId", out var nodeIdElement))
        {
            nodeId = JsonFields.GetString(nodeIdElement, $"{path}.nodeId");
        }

        var endorsements = new List<string>();
        if (fields.TryGetValue("serviceEndorsements", out var endorsementsElement))
        {
            var endorsementsPath = $"{path}.serviceEndorsements";
            foreach (var item in JsonFields.GetArray(endorsementsElement, endorsementsPath))
            {
                endorsements.Add(JsonFields.GetString(item, $"{endorsementsPath}[{endorsements.Count}]"));
            }
        }

        return new SignedTreeHead(transactionId, root, signature, cert, nodeId, endorsements);
    }

    /// <summary>Reads a consistency response: <c>{"from":head,"to":head,"proof":["hex",…]}</c>.</summary>
    public static TreeConsistency ReadConsistency(JsonElement element, string path)
    {
        var fields = JsonFields.ReadObject(element, path, acceptSnakeCase: false);
        var from = ReadHead(JsonFields.Require(fields, "from", path), "from");
        var to = ReadHead(JsonFields.Require(fields, "to", path), "to");
        var proof = new List<Sha256Hash>();
        foreach (var item in JsonFields.GetArray(JsonFields.Require(fields, "proof", path), "proof"))
        {
            var itemPath = $"proof[{proof.Count}]";
            proof.Add(JsonFields.ParseHash(JsonFields.GetString(item, itemPath), itemPath));
        }

        if (from.TreeSize > to.TreeSize)
        {
            throw JsonFields.Error(path, $"goes from tree size {from.TreeSize} back to {to.TreeSize}");
        }

        return new TreeConsistency(from, to, proof);
    }

    /// <summary>Writes with <paramref name="write"/> into a string, with the same escaping as receipts.</summary>
    public static string Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, ApplicationClaimJson.WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static long ReadTreeSize(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var size))
        {
            throw JsonFields.Error(path, "must be a whole number");
        }

        return size >= 1 ? size : throw JsonFields.Error(path, $"is {size}, but a signed tree has at least one leaf");
    }
}
