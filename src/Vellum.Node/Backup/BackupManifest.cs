using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vellum.Node.Backup;

/// <summary>
/// <c>BACKUP/manifest.json</c>: what a backup holds (docs/storage-format.md). Written last and
/// atomically, so that it lists only files already durable in the backup.
/// </summary>
/// <param name="LedgerName">The ledger's name (its ledger id), from its <c>vellum.json</c>.</param>
/// <param name="LastSeqno">The last seqno the backed-up chunks hold; 0 when they hold none.</param>
/// <param name="LastView">The view of that seqno's entry; 0 when there is none.</param>
/// <param name="LastSignedRoot">The Merkle root signed by the entry at <paramref name="LastSeqno"/> (a signature), hex; null when there is none.</param>
/// <param name="Files">Every file of the backup but the manifest itself, ordered by path.</param>
public sealed partial record BackupManifest(string LedgerName, long LastSeqno, long LastView, string? LastSignedRoot, IReadOnlyList<BackupFile> Files)
{
    /// <summary>The manifest format this version writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>The manifest's file name in the backup folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The largest manifest read: a line per chunk, and a ledger has at most millions of chunks.</summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>The manifest as indented UTF-8 JSON.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("formatVersion", FormatVersion);
            writer.WriteString("ledgerName", LedgerName);
            writer.WriteNumber("lastSeqno", LastSeqno);
            writer.WriteNumber("lastView", LastView);
            if (LastSignedRoot is null)
            {
                writer.WriteNull("lastSignedRoot");
            }
            else
            {
                writer.WriteString("lastSignedRoot", LastSignedRoot);
            }

            writer.WriteStartArray("files");
            foreach (var file in Files)
            {
                writer.WriteStartObject();
                writer.WriteString("path", file.Path);
                writer.WriteNumber("bytes", file.Bytes);
                writer.WriteString("sha256", file.Sha256);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a manifest, checking its version, every field's form, and that no path repeats.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a manifest of this version; the message says what is wrong.</exception>
    public static BackupManifest Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            var version = root.GetProperty("formatVersion").GetInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"it has format version {version}; this Vellum reads version {FormatVersion}");
            }

            var files = new List<BackupFile>();
            var paths = new HashSet<string>(StringComparer.Ordinal);
            foreach (var element in root.GetProperty("files").EnumerateArray())
            {
                var file = new BackupFile(Text(element, "path"), element.GetProperty("bytes").GetInt64(), Text(element, "sha256"));
                if (file.Bytes < 0 || !HexDigest().IsMatch(file.Sha256) || !paths.Add(file.Path))
                {
                    throw new InvalidDataException($"the entry for \"{file.Path}\" is malformed or repeated");
                }

                files.Add(file);
            }

            var rootHex = root.GetProperty("lastSignedRoot").GetString();
            var manifest = new BackupManifest(
                Text(root, "ledgerName"),
                root.GetProperty("lastSeqno").GetInt64(),
                root.GetProperty("lastView").GetInt64(),
                rootHex,
                files);
            if (manifest.LastSeqno < 0 || manifest.LastView < 0 || (rootHex is not null && !HexDigest().IsMatch(rootHex)))
            {
                throw new InvalidDataException("its last seqno, view or signed root is malformed");
            }

            return manifest;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"it is not a valid manifest: {exception.Message}", exception);
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new InvalidDataException($"\"{name}\" is null");

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex HexDigest();
}
