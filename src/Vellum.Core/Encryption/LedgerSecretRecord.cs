using System.Text.Json;

namespace Vellum.Core.Encryption;

/// <summary>
/// The public record of one ledger secret version, kept in the reserved collection
/// <c>vellum:secrets</c> as <c>{"format"?, "version", "startSeqno", "proposal"?, "nodeWrap",
/// "previousWrap"?, "serviceSecretWrap"}</c> (wraps in base64; docs/storage-format.md). It holds
/// no secret in the clear: <see cref="NodeWrap"/> is the secret sealed under a key every node
/// of the service derives (<see cref="LedgerSecretChain"/>), <see cref="PreviousWrap"/> the
/// previous version's secret sealed under this one, and <see cref="ServiceSecretWrap"/> the
/// service secret sealed under this one. <see cref="LedgerSecretChain"/> makes and opens them.
/// </summary>
/// <param name="Version">The ledger secret's version, 0 for the ledger's first.</param>
/// <param name="StartSeqno">The first seqno the secret seals: 1 for version 0, the record's own seqno + 1 after.</param>
/// <param name="ProposalId">The accepted <c>trigger_ledger_rekey</c> proposal the record carries out; null for version 0.</param>
/// <param name="NodeWrap">The secret, sealed for the nodes.</param>
/// <param name="PreviousWrap">The previous version's secret sealed under this one; null for version 0.</param>
/// <param name="ServiceSecretWrap">The service secret sealed under this secret.</param>
/// <param name="Format">
/// How <see cref="NodeWrap"/> is sealed: <see cref="ServiceSecretFormat"/> (records written before
/// format 2, whose JSON has no <c>"format"</c>) or <see cref="ServiceKeyFormat"/>.
/// </param>
public sealed record LedgerSecretRecord(int Version, long StartSeqno, string? ProposalId, byte[] NodeWrap, byte[]? PreviousWrap, byte[] ServiceSecretWrap, int Format)
{
    /// <summary>The node wrap is sealed under a key derived from the service secret, which the records themselves hand to any holder of an older ledger secret.</summary>
    public const int ServiceSecretFormat = 1;

    /// <summary>The node wrap is sealed under a key derived from the service's private key, which is never in the ledger.</summary>
    public const int ServiceKeyFormat = 2;

    /// <summary>The record as the UTF-8 JSON the ledger holds.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (Format != ServiceSecretFormat)
            {
                writer.WriteNumber("format", Format);
            }

            writer.WriteNumber("version", Version);
            writer.WriteNumber("startSeqno", StartSeqno);
            if (ProposalId is not null)
            {
                writer.WriteString("proposal", ProposalId);
            }

            writer.WriteBase64String("nodeWrap", NodeWrap);
            if (PreviousWrap is not null)
            {
                writer.WriteBase64String("previousWrap", PreviousWrap);
            }

            writer.WriteBase64String("serviceSecretWrap", ServiceSecretWrap);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a record written by <see cref="ToJson"/>, checking its form (not its wraps, which only a key can check).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed record.</exception>
    public static LedgerSecretRecord Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var format = root.TryGetProperty("format", out var formatElement) ? formatElement.GetInt32() : ServiceSecretFormat;
            if (format != ServiceKeyFormat && formatElement.ValueKind != JsonValueKind.Undefined)
            {
                throw new InvalidDataException($"A ledger secret record of format {format} is not one this version reads (format {ServiceKeyFormat}, or none for format {ServiceSecretFormat}); it may have been written by a newer version.");
            }

            var version = root.GetProperty("version").GetInt32();
            var startSeqno = root.GetProperty("startSeqno").GetInt64();
            var proposal = root.TryGetProperty("proposal", out var id) ? id.GetString() : null;
            var previous = root.TryGetProperty("previousWrap", out var wrap) ? wrap.GetBytesFromBase64() : null;
            var record = new LedgerSecretRecord(version, startSeqno, proposal, root.GetProperty("nodeWrap").GetBytesFromBase64(), previous, root.GetProperty("serviceSecretWrap").GetBytesFromBase64(), format);
            record.CheckForm();
            return record;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"A ledger secret record is malformed: {exception.Message}", exception);
        }
    }

    private void CheckForm()
    {
        var wrapsFit = NodeWrap.Length == SecretWrap.Size && ServiceSecretWrap.Length == SecretWrap.Size && (PreviousWrap is null || PreviousWrap.Length == SecretWrap.Size);
        var chainFits = Version == 0
            ? StartSeqno == 1 && PreviousWrap is null
            : Version > 0 && StartSeqno > 1 && PreviousWrap is not null;
        if (!wrapsFit || !chainFits)
        {
            throw new InvalidDataException($"The ledger secret record of version {Version} is malformed: version 0 starts at seqno 1 with no previous wrap, later versions start after seqno 1 with one, and every wrap is {SecretWrap.Size} bytes.");
        }
    }
}
