using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// A JWS in compact serialization (RFC 7515 §7.1), parsed strictly: three canonical base64url
/// parts, a JSON object header naming an accepted <c>alg</c> and a <c>kid</c>, and nothing this
/// validator does not understand.
/// </summary>
internal sealed class CompactJws
{
    /// <summary>JSON in tokens is parsed with duplicate names refused, so no claim can have two values.</summary>
    internal static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    private CompactJws(JwsAlgorithm algorithm, string keyId, byte[] signingInput, byte[] payload, byte[] signature)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        SigningInput = signingInput;
        Payload = payload;
        Signature = signature;
    }

    /// <summary>The signature algorithm the header names.</summary>
    public JwsAlgorithm Algorithm { get; }

    /// <summary>The header's key id, which picks the issuer's key.</summary>
    public string KeyId { get; }

    /// <summary>The signed bytes: the ASCII of <c>header.payload</c> as they appear in the token.</summary>
    public byte[] SigningInput { get; }

    /// <summary>The decoded payload (the claims JSON), not yet trusted.</summary>
    public byte[] Payload { get; }

    /// <summary>The decoded signature.</summary>
    public byte[] Signature { get; }

    /// <summary>Parses <paramref name="token"/>, or explains in <paramref name="failure"/> why it is not a usable JWS.</summary>
    public static bool TryParse(string token, [NotNullWhen(true)] out CompactJws? jws, [NotNullWhen(false)] out string? failure)
    {
        jws = null;
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (secondDot < 0 || token.IndexOf('.', secondDot + 1) >= 0)
        {
            failure = "The token is not a compact JWS: it must have exactly three dot-separated parts.";
            return false;
        }

        var header = Base64UrlStrict.Decode(token.AsSpan(0, firstDot));
        var payload = Base64UrlStrict.Decode(token.AsSpan(firstDot + 1, secondDot - firstDot - 1));
        var signature = Base64UrlStrict.Decode(token.AsSpan(secondDot + 1));
        if (header is null || payload is null || signature is null)
        {
            failure = "The token is malformed: a part is not unpadded base64url.";
            return false;
        }

        if (!Utf8.IsValid(header) || !Utf8.IsValid(payload))
        {
            failure = "The token is malformed: its header or payload is not UTF-8 text.";
            return false;
        }

        // The header is judged first so that "alg":"none" is refused by name, not as a missing signature.
        if (!TryParseHeader(header, out var algorithm, out var keyId, out failure))
        {
            return false;
        }

        if (signature.Length == 0)
        {
            failure = "The token has no signature.";
            return false;
        }

        jws = new CompactJws(algorithm, keyId, Encoding.ASCII.GetBytes(token, 0, secondDot), payload, signature);
        return true;
    }

    private static bool TryParseHeader(byte[] json, out JwsAlgorithm algorithm, [NotNullWhen(true)] out string? keyId, [NotNullWhen(false)] out string? failure)
    {
        algorithm = default;
        keyId = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, StrictJson);
        }
        catch (JsonException)
        {
            failure = "The token header is not valid JSON (or repeats a name).";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                failure = "The token header is not a JSON object.";
                return false;
            }

            // "crit" lists extensions the recipient must understand; this validator understands none.
            if (root.TryGetProperty("crit", out _))
            {
                failure = "The token header has a 'crit' parameter; no JWS extensions are supported.";
                return false;
            }

            if (!TryReadAlgorithm(root, out algorithm, out failure))
            {
                return false;
            }

            if (JsonStrings.Member(root, "kid") is not { Length: > 0 } kidText)
            {
                failure = "The token header has no key id ('kid').";
                return false;
            }

            keyId = kidText;
            return true;
        }
    }

    private static bool TryReadAlgorithm(JsonElement header, out JwsAlgorithm algorithm, [NotNullWhen(false)] out string? failure)
    {
        algorithm = default;
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            failure = "The token header has no algorithm ('alg').";
            return false;
        }

        // Compared exactly: "none", HMAC and every other algorithm are refused by name.
        if (alg.ValueEquals("RS256"))
        {
            algorithm = JwsAlgorithm.RS256;
        }
        else if (alg.ValueEquals("ES256"))
        {
            algorithm = JwsAlgorithm.ES256;
        }
        else
        {
            failure = "The token's algorithm is not accepted; only RS256 and ES256 are.";
            return false;
        }

        failure = null;
        return true;
    }
}
