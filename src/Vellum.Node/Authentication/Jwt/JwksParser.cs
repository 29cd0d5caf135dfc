using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;

namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// Reads the signing keys out of a JSON Web Key Set (RFC 7517 §5). Keys this validator cannot use
/// (another type or curve, an encryption key, no key id, a weak or malformed key) are skipped, so
/// one odd key does not make an issuer's whole set unusable.
/// </summary>
internal static class JwksParser
{
    /// <summary>The most keys one set may hold; real issuers publish a handful.</summary>
    public const int MaxKeys = 100;

    // RSA moduli below 2048 bits are too weak; above 8192 bits each verification gets slow enough
    // to be a way to make the node burn CPU.
    private const int MinRsaModulusBytes = 256;
    private const int MaxRsaModulusBytes = 1024;
    private const int P256CoordinateBytes = 32;

    /// <summary>Parses the set, keyed by key id; the first key wins when an id repeats.</summary>
    public static bool TryParse(JsonElement root, [NotNullWhen(true)] out Dictionary<string, SigningKey>? keys, [NotNullWhen(false)] out string? failure)
    {
        keys = null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            failure = "the key set has no 'keys' array";
            return false;
        }

        if (array.GetArrayLength() > MaxKeys)
        {
            failure = $"the key set has more than {MaxKeys} keys";
            return false;
        }

        keys = new Dictionary<string, SigningKey>(StringComparer.Ordinal);
        foreach (var jwk in array.EnumerateArray())
        {
            if (TryReadKey(jwk) is { } key)
            {
                keys.TryAdd(key.KeyId, key);
            }
        }

        failure = null;
        return true;
    }

    private static SigningKey? TryReadKey(JsonElement jwk)
    {
        if (jwk.ValueKind != JsonValueKind.Object
            || String(jwk, "kid") is not { Length: > 0 } keyId
            || String(jwk, "kty") is not { } keyType
            || (jwk.TryGetProperty("use", out _) && String(jwk, "use") != "sig"))
        {
            return null;
        }

        var algorithm = jwk.TryGetProperty("alg", out _) ? String(jwk, "alg") ?? string.Empty : null;
        return keyType switch
        {
            "RSA" when algorithm is null or "RS256" => TryReadRsa(jwk, keyId),
            "EC" when algorithm is null or "ES256" => TryReadEc(jwk, keyId),
            _ => null,
        };
    }

    private static SigningKey? TryReadRsa(JsonElement jwk, string keyId)
    {
        if (Bytes(jwk, "n") is not { } modulus || Bytes(jwk, "e") is not { } exponent)
        {
            return null;
        }

        modulus = modulus.AsSpan().TrimStart((byte)0).ToArray();
        exponent = exponent.AsSpan().TrimStart((byte)0).ToArray();
        if (modulus.Length is < MinRsaModulusBytes or > MaxRsaModulusBytes || exponent.Length is 0 or > 8)
        {
            return null;
        }

        var parameters = new RSAParameters { Modulus = modulus, Exponent = exponent };
        return Imports(() => RSA.Create(parameters)) ? SigningKey.ForRsa(keyId, parameters) : null;
    }

    private static SigningKey? TryReadEc(JsonElement jwk, string keyId)
    {
        if (String(jwk, "crv") != "P-256"
            || Bytes(jwk, "x") is not { Length: P256CoordinateBytes } x
            || Bytes(jwk, "y") is not { Length: P256CoordinateBytes } y)
        {
            return null;
        }

        var parameters = new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } };

        // The import checks that the point lies on the curve.
        return Imports(() => ECDsa.Create(parameters)) ? SigningKey.ForEc(keyId, parameters) : null;
    }

    private static bool Imports(Func<AsymmetricAlgorithm> create)
    {
        try
        {
            create().Dispose();
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string? String(JsonElement jwk, string name) => JsonStrings.Member(jwk, name);

    private static byte[]? Bytes(JsonElement jwk, string name) =>
        String(jwk, name) is { } text ? Base64UrlStrict.Decode(text) : null;
}
