using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vellum.Core.Claims;

/// <summary>
/// ACL's JSON form of application claims (camelCase, as in the <c>applicationClaims</c> array of a
/// receipt response):
/// <c>{"kind":"LedgerEntry","ledgerEntry":{"protocol":"LedgerEntryV1","collectionId":…,"contents":…,"secretKey":"&lt;b64&gt;"}}</c>
/// and <c>{"kind":"ClaimDigest","digest":{"protocol":"LedgerEntryV1","value":"&lt;hex&gt;"}}</c>.
/// </summary>
public static class ApplicationClaimJson
{
    /// <summary>
    /// Writer options that leave <c>+</c>, <c>&lt;</c> and the like unescaped, so base64 and PEM
    /// text reads as ACL writes it. The output is JSON for APIs, never embedded in HTML.
    /// </summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes one claim as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, ApplicationClaim claim)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(claim);
        writer.WriteStartObject();
        writer.WriteString("kind", claim.Kind);
        switch (claim)
        {
            case LedgerEntryClaim entry:
                writer.WriteStartObject("ledgerEntry");
                writer.WriteString("protocol", entry.Protocol);
                writer.WriteString("collectionId", entry.CollectionId);
                writer.WriteString("contents", entry.Contents);
                writer.WriteBase64String("secretKey", entry.SecretKey);
                writer.WriteEndObject();
                break;
            case DigestClaim digest:
                writer.WriteStartObject("digest");
                writer.WriteString("protocol", digest.Protocol);
                writer.WriteString("value", digest.Value.ToHex());
                writer.WriteEndObject();
                break;
            default:
                Invariant.Check(false, $"claim kind {claim.Kind} has a JSON form");
                break;
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a list of claims as a JSON array.</summary>
    public static void WriteList(Utf8JsonWriter writer, IEnumerable<ApplicationClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(claims);
        writer.WriteStartArray();
        foreach (var claim in claims)
        {
            Write(writer, claim);
        }

        writer.WriteEndArray();
    }

    /// <summary>The JSON array of <paramref name="claims"/> as text.</summary>
    public static string Serialize(IEnumerable<ApplicationClaim> claims)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteList(writer, claims);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses a JSON array of claims.</summary>
    /// <exception cref="FormatException">The text is not a well-formed claims array; the message says where.</exception>
    public static IReadOnlyList<ApplicationClaim> ParseList(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            throw new FormatException($"The application claims are not valid JSON: {exception.Message}", exception);
        }

        using (document)
        {
            return ParseList(document.RootElement, "applicationClaims");
        }
    }

    /// <summary>Parses a JSON array of claims; <paramref name="path"/> prefixes error messages.</summary>
    /// <exception cref="FormatException">The array or one of its claims is malformed.</exception>
    public static IReadOnlyList<ApplicationClaim> ParseList(JsonElement element, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var claims = new List<ApplicationClaim>();
        foreach (var item in JsonFields.GetArray(element, path))
        {
            claims.Add(Parse(item, $"{path}[{claims.Count}]"));
        }

        return claims;
    }

    /// <summary>Parses one claim object; <paramref name="path"/> prefixes error messages.</summary>
    /// <exception cref="FormatException">The claim is malformed or of an unknown kind or protocol.</exception>
    public static ApplicationClaim Parse(JsonElement element, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fields = JsonFields.ReadObject(element, path, acceptSnakeCase: false);
        var kind = JsonFields.RequireString(fields, "kind", path);
        return kind switch
        {
            LedgerEntryClaim.KindName => ParseLedgerEntry(JsonFields.Require(fields, "ledgerEntry", path), $"{path}.ledgerEntry"),
            DigestClaim.KindName => ParseDigest(JsonFields.Require(fields, "digest", path), $"{path}.digest"),
            _ => throw JsonFields.Error($"{path}.kind", $"is \"{kind}\", not one of the known kinds \"{LedgerEntryClaim.KindName}\" and \"{DigestClaim.KindName}\""),
        };
    }

    private static LedgerEntryClaim ParseLedgerEntry(JsonElement element, string path)
    {
        var fields = JsonFields.ReadObject(element, path, acceptSnakeCase: false);
        var protocol = JsonFields.RequireString(fields, "protocol", path);
        if (protocol != LedgerEntryClaim.ProtocolV1)
        {
            throw JsonFields.Error($"{path}.protocol", $"is \"{protocol}\"; only \"{LedgerEntryClaim.ProtocolV1}\" is supported");
        }

        var collectionId = JsonFields.RequireString(fields, "collectionId", path);
        var contents = JsonFields.RequireString(fields, "contents", path);
        var key = JsonFields.ParseBase64(JsonFields.RequireString(fields, "secretKey", path), $"{path}.secretKey");
        if (key.Length != LedgerEntryClaim.SecretKeyBytes)
        {
            throw JsonFields.Error($"{path}.secretKey", $"must decode to {LedgerEntryClaim.SecretKeyBytes} bytes, not {key.Length}");
        }

        return new LedgerEntryClaim(collectionId, contents, key);
    }

    private static DigestClaim ParseDigest(JsonElement element, string path)
    {
        var fields = JsonFields.ReadObject(element, path, acceptSnakeCase: false);
        var protocol = JsonFields.RequireString(fields, "protocol", path);
        var value = JsonFields.ParseHash(JsonFields.RequireString(fields, "value", path), $"{path}.value");
        return new DigestClaim(protocol, value);
    }
}
