using System.Text.Json;

namespace Vellum.Core.Bundles;

/// <summary>
/// An auditor bundle: chosen transactions of one ledger, each as the receipt response the ledger
/// served for it (its receipt and its <c>LedgerEntryV1</c> claim, which carries the entry's
/// collection and contents with the secret that binds them to the signed leaf). Nothing else of
/// the ledger is disclosed. The format is documented in docs/api.md, "Auditor bundles".
/// </summary>
/// <param name="LedgerId">The ledger the transactions are from, as the exporter named it; informational.</param>
/// <param name="ExportedAt">When the bundle was made; informational.</param>
/// <param name="ServiceCertificate">The service certificate the exporter pinned; informational: a verifier uses one obtained out of band.</param>
/// <param name="Receipts">Each transaction's receipt response JSON, in the order chosen.</param>
public sealed record AuditorBundle(string LedgerId, DateTimeOffset ExportedAt, string ServiceCertificate, IReadOnlyList<string> Receipts)
{
    /// <summary>The format version this code writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The value of the bundle's <c>kind</c> member.</summary>
    public const string Kind = "vellum-auditor-bundle";

    /// <summary>The bundle as indented UTF-8 JSON; each receipt response is embedded as a JSON object.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("formatVersion", FormatVersion);
            writer.WriteString("kind", Kind);
            writer.WriteString("ledgerId", LedgerId);
            writer.WriteString("exportedAt", ExportedAt);
            writer.WriteString("serviceCertificate", ServiceCertificate);
            writer.WriteStartArray("transactions");
            foreach (var receipt in Receipts)
            {
                using var document = JsonDocument.Parse(receipt);
                document.RootElement.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a bundle; each transaction is kept as its JSON text, for the verifier to parse.</summary>
    /// <exception cref="FormatException">The bytes are not a bundle of this version; the message says what is wrong.</exception>
    public static AuditorBundle Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.GetProperty("kind").GetString() != Kind)
            {
                throw new FormatException($"its kind is not \"{Kind}\"");
            }

            var version = root.GetProperty("formatVersion").GetInt32();
            if (version != FormatVersion)
            {
                throw new FormatException($"it has format version {version}; this Vellum reads version {FormatVersion}");
            }

            var receipts = root.GetProperty("transactions").EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object
                ? item.GetRawText()
                : throw new FormatException("a transaction is not a JSON object")).ToList();
            return new AuditorBundle(
                root.GetProperty("ledgerId").GetString() ?? string.Empty,
                root.GetProperty("exportedAt").GetDateTimeOffset(),
                root.GetProperty("serviceCertificate").GetString() ?? string.Empty,
                receipts);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"it is not an auditor bundle: {exception.Message}", exception);
        }
        catch (FormatException exception)
        {
            throw new FormatException($"it is not an auditor bundle: {exception.Message}", exception);
        }
    }
}
