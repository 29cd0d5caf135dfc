using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// The claims the validator checks (RFC 7519 §4.1 plus Entra ID's <c>oid</c>), read from a token's
/// payload with their types enforced. Reading them proves nothing; <see cref="Check"/> runs only
/// after the signature has been verified.
/// </summary>
internal sealed class JwtClaims
{
    private JwtClaims(string issuer, IReadOnlyList<string> audiences, double expiresAt, double? notBefore, string? objectId)
    {
        Issuer = issuer;
        Audiences = audiences;
        ExpiresAt = expiresAt;
        NotBefore = notBefore;
        ObjectId = objectId;
    }

    /// <summary>The <c>iss</c> claim.</summary>
    public string Issuer { get; }

    /// <summary>The <c>aud</c> claim, a single string read as a list of one.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>The <c>exp</c> claim in seconds since the Unix epoch.</summary>
    public double ExpiresAt { get; }

    /// <summary>The <c>nbf</c> claim in seconds since the Unix epoch, if present.</summary>
    public double? NotBefore { get; }

    /// <summary>The <c>oid</c> claim, if present as a string.</summary>
    public string? ObjectId { get; }

    /// <summary>Reads the claims from <paramref name="payload"/>, or says why they are unusable.</summary>
    public static bool TryParse(byte[] payload, [NotNullWhen(true)] out JwtClaims? claims, [NotNullWhen(false)] out string? failure)
    {
        claims = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, CompactJws.StrictJson);
        }
        catch (JsonException)
        {
            failure = "The token payload is not valid JSON (or repeats a claim).";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                failure = "The token payload is not a JSON object.";
                return false;
            }

            if (JsonStrings.Member(root, "iss") is not { } issuer)
            {
                failure = "The token has no issuer ('iss').";
                return false;
            }

            if (!TryReadAudiences(root, out var audiences, out failure)
                || !TryReadTime(root, "exp", required: true, out var expiresAt, out failure)
                || !TryReadTime(root, "nbf", required: false, out var notBefore, out failure))
            {
                return false;
            }

            claims = new JwtClaims(issuer, audiences, expiresAt!.Value, notBefore, JsonStrings.Member(root, "oid"));
            return true;
        }
    }

    /// <summary>
    /// Checks audience, lifetime and user id at <paramref name="now"/>; returns null when they all
    /// hold, otherwise the reason the token is refused.
    /// </summary>
    public string? Check(IReadOnlyList<string> acceptedAudiences, DateTimeOffset now, TimeSpan clockSkew)
    {
        if (!Audiences.Any(audience => acceptedAudiences.Any(accepted => TrailingSlash.Equivalent(audience, accepted))))
        {
            return "The token's audience ('aud') is not accepted by this ledger.";
        }

        var nowSeconds = now.ToUnixTimeMilliseconds() / 1000.0;
        var skewSeconds = clockSkew.TotalSeconds;
        if (nowSeconds >= ExpiresAt + skewSeconds)
        {
            return "The token has expired ('exp').";
        }

        if (NotBefore is { } notBefore && nowSeconds < notBefore - skewSeconds)
        {
            return "The token is not valid yet ('nbf').";
        }

        if (string.IsNullOrEmpty(ObjectId))
        {
            return "The token has no object id ('oid') to identify the user.";
        }

        return null;
    }

    private static bool TryReadAudiences(JsonElement root, [NotNullWhen(true)] out IReadOnlyList<string>? audiences, [NotNullWhen(false)] out string? failure)
    {
        audiences = null;
        failure = "The token has no audience ('aud'), or it is not a string or an array of strings.";
        if (!root.TryGetProperty("aud", out var aud))
        {
            return false;
        }

        if (JsonStrings.TryGet(aud, out var single))
        {
            audiences = [single];
        }
        else if (aud.ValueKind == JsonValueKind.Array)
        {
            var list = new List<string>();
            foreach (var item in aud.EnumerateArray())
            {
                if (!JsonStrings.TryGet(item, out var text))
                {
                    return false;
                }

                list.Add(text);
            }

            audiences = list;
        }
        else
        {
            return false;
        }

        failure = null;
        return true;
    }

    private static bool TryReadTime(JsonElement root, string name, bool required, out double? seconds, [NotNullWhen(false)] out string? failure)
    {
        seconds = null;
        failure = null;
        if (!root.TryGetProperty(name, out var value))
        {
            failure = required ? $"The token has no '{name}' claim." : null;
            return !required;
        }

        // A NumericDate may have a fraction (RFC 7519 §2); any JSON number fits a double.
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            failure = $"The token's '{name}' claim is not a number of seconds.";
            return false;
        }

        seconds = number;
        return true;
    }
}
