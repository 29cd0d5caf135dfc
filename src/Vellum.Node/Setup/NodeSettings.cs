using System.Text.Json;

namespace Vellum.Node.Setup;

/// <summary>
/// What a ledger is created with and keeps for its life: <c>DIR/vellum.json</c>. Written once,
/// after the identities, so its presence marks a completed first start (and its absence, without
/// the <see cref="FolderCreation"/> mark, a folder that lost it). <see cref="Joined"/> marks
/// a node that joined an existing ledger rather than founding it: it waits for the cluster instead
/// of electing itself. <see cref="RecoveredAfterSeqno"/> marks a ledger recovered from a backup
/// (<c>vellum recover</c>): the last seqno of the previous service, whose membership records no
/// longer describe the cluster.
/// </summary>
internal sealed record NodeSettings(string Name, LedgerType LedgerType, string InitialAdministrator, bool Joined = false, long? RecoveredAfterSeqno = null)
{
    public const int FormatVersion = 1;

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("formatVersion", FormatVersion);
            writer.WriteString("name", Name);
            writer.WriteString("ledgerType", LedgerType == LedgerType.Public ? "public" : "private");
            writer.WriteString("initialAdministrator", InitialAdministrator);
            if (Joined)
            {
                writer.WriteBoolean("joined", true);
            }

            if (RecoveredAfterSeqno is { } recoveredAfter)
            {
                writer.WriteNumber("recoveredAfterSeqno", recoveredAfter);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static NodeSettings Parse(string path, byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var version = root.GetProperty("formatVersion").GetInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"{path} has format version {version}; this Vellum reads version {FormatVersion}.");
            }

            var ledgerType = root.GetProperty("ledgerType").GetString() switch
            {
                "public" => LedgerType.Public,
                "private" => LedgerType.Private,
                var other => throw new InvalidDataException($"{path} names an unknown ledger type \"{other}\"."),
            };
            return new NodeSettings(
                root.GetProperty("name").GetString() ?? throw new InvalidDataException($"{path} has no name."),
                ledgerType,
                root.GetProperty("initialAdministrator").GetString() ?? throw new InvalidDataException($"{path} has no initial administrator."),
                root.TryGetProperty("joined", out var joined) && joined.GetBoolean(),
                root.TryGetProperty("recoveredAfterSeqno", out var recoveredAfter) ? recoveredAfter.GetInt64() : null);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path} is not a valid Vellum settings file: {exception.Message}", exception);
        }
    }
}
