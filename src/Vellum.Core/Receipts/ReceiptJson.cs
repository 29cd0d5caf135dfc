using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Vellum.Core.Claims;
using Vellum.Core.Merkle;

namespace Vellum.Core.Receipts;

/// <summary>
/// ACL's JSON form of receipts. Writing always uses camelCase, the form ACL documents and the one
/// the .NET client reads; parsing also accepts the snake_case keys the real service returned in
/// 2022, and either the whole response or just its inner receipt object.
/// </summary>
public static class ReceiptJson
{
    /// <summary>Writes the inner receipt object: <c>cert</c>, <c>leafComponents</c>, <c>nodeId</c>, <c>proof</c>, <c>serviceEndorsements</c>, <c>signature</c>.</summary>
    public static void Write(Utf8JsonWriter writer, Receipt receipt)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(receipt);
        writer.WriteStartObject();
        writer.WriteString("cert", receipt.Cert);
        writer.WriteStartObject("leafComponents");

        // claimsDigest is written even when it is zero: ACL's Python verifier requires it.
        writer.WriteString("claimsDigest", receipt.LeafComponents.ClaimsDigest.ToHex());
        writer.WriteString("commitEvidence", receipt.LeafComponents.CommitEvidence);
        writer.WriteString("writeSetDigest", receipt.LeafComponents.WriteSetDigest.ToHex());
        writer.WriteEndObject();
        if (receipt.NodeId is not null)
        {
            writer.WriteString("nodeId", receipt.NodeId);
        }

        writer.WriteStartArray("proof");
        foreach (var step in receipt.Proof)
        {
            writer.WriteStartObject();
            writer.WriteString(step.Side == ProofSide.Left ? "left" : "right", step.Sibling.ToHex());
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("serviceEndorsements");
        foreach (var endorsement in receipt.ServiceEndorsements)
        {
            writer.WriteStringValue(endorsement);
        }

        writer.WriteEndArray();
        writer.WriteBase64String("signature", receipt.Signature);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes the whole response. A loading response has no <c>receipt</c> (ACL's .NET client
    /// throws on <c>"receipt":null</c>); <c>applicationClaims</c> is left out when there are none.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, TransactionReceipt response)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(response);
        writer.WriteStartObject();
        if (response.Receipt is not null)
        {
            writer.WritePropertyName("receipt");
            Write(writer, response.Receipt);
        }

        writer.WriteString("state", response.State.ToString());
        writer.WriteString("transactionId", response.TransactionId?.ToString() ?? string.Empty);
        if (response.ApplicationClaims.Count > 0)
        {
            writer.WritePropertyName("applicationClaims");
            ApplicationClaimJson.WriteList(writer, response.ApplicationClaims);
        }

        writer.WriteEndObject();
    }

    /// <summary>The inner receipt object as JSON text.</summary>
    public static string Serialize(Receipt receipt) => Serialize(writer => Write(writer, receipt));

    /// <summary>The whole response as JSON text.</summary>
    public static string Serialize(TransactionReceipt response) => Serialize(writer => Write(writer, response));

    /// <summary>Parses a whole response, or a bare receipt object as a ready response with no transaction id.</summary>
    /// <exception cref="ReceiptFormatException">The JSON is malformed; the message names the field.</exception>
    public static TransactionReceipt ParseTransactionReceipt(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return ReceiptJsonReader.ParseTransactionReceipt(json);
    }

    /// <summary>Parses a receipt given either as the whole response or as its inner receipt object.</summary>
    /// <exception cref="ReceiptFormatException">The JSON is malformed, or the response holds no receipt yet.</exception>
    public static Receipt ParseReceipt(string json)
    {
        var response = ParseTransactionReceipt(json);
        return response.Receipt ?? throw new ReceiptFormatException("The response holds no receipt: its state is Loading.");
    }

    /// <summary>Parses like <see cref="ParseTransactionReceipt"/>, reporting failure instead of throwing.</summary>
    public static bool TryParseTransactionReceipt(
        string json,
        [NotNullWhen(true)] out TransactionReceipt? response,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            response = ReceiptJsonReader.ParseTransactionReceipt(json);
            error = null;
            return true;
        }
        catch (ReceiptFormatException exception)
        {
            response = null;
            error = exception.Message;
            return false;
        }
    }

    private static string Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, ApplicationClaimJson.WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
