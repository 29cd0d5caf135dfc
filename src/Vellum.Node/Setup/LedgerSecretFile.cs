using System.Text.Json;
using Vellum.Core.Encryption;

namespace Vellum.Node.Setup;

/// <summary>
/// <c>DIR/ledger_secret.key</c> of a private ledger, and the <c>ledgerSecrets</c> of a join answer:
/// <c>{"formatVersion":1,"secrets":[{"version":0,"startSeqno":1,"secret":"&lt;base64&gt;"}]}</c>.
/// Secrets are listed by version. The file holds version 0: later versions live in the ledger's
/// secret records, which every node replays into its keyring (<see cref="Governance.SecretsLedger"/>),
/// so the file is never rewritten when a version is added (docs/storage-format.md).
/// </summary>
internal static class LedgerSecretFile
{
    public const int FormatVersion = 1;

    public static byte[] ToJson(IReadOnlyList<LedgerSecret> secrets)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            Write(writer, secrets);
        }

        return buffer.ToArray();
    }

    /// <summary>Writes the secrets as one JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<LedgerSecret> secrets)
    {
        writer.WriteStartObject();
        writer.WriteNumber("formatVersion", FormatVersion);
        writer.WriteStartArray("secrets");
        foreach (var secret in secrets)
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", secret.Version);
            writer.WriteNumber("startSeqno", secret.StartSeqno);
            writer.WriteBase64String("secret", secret.Secret);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads the secrets saved in <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid ledger secret file.</exception>
    public static List<LedgerSecret> Parse(string path, byte[] json)
    {
        using var document = ParseDocument(path, json);
        return Parse(path, document.RootElement);
    }

    /// <summary>Reads the secrets of a JSON object written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The object does not hold valid secrets.</exception>
    public static List<LedgerSecret> Parse(string source, JsonElement root)
    {
        var secrets = new List<LedgerSecret>();
        try
        {
            var version = root.GetProperty("formatVersion").GetInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"{source} has format version {version}; this Vellum reads version {FormatVersion}.");
            }

            foreach (var item in root.GetProperty("secrets").EnumerateArray())
            {
                secrets.Add(new LedgerSecret(item.GetProperty("version").GetInt32(), item.GetProperty("startSeqno").GetInt64(), item.GetProperty("secret").GetBytesFromBase64()));
            }

            // The keyring checks the order; building one here refuses a bad file before the node starts.
            using var check = new LedgerKeyring(secrets);
            return secrets;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            foreach (var secret in secrets)
            {
                secret.Dispose();
            }

            throw new InvalidDataException($"{source} is not a valid ledger secret file: {exception.Message}", exception);
        }
    }

    private static JsonDocument ParseDocument(string path, byte[] json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path} is not a valid ledger secret file: {exception.Message}", exception);
        }
    }
}
