using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vellum.Node.Authentication.Jwt;

namespace Vellum.Node.Tests.Jwt;

/// <summary>
/// Builds JWTs by hand: a header and claims that tests edit freely, encoded as compact JWS and
/// signed with a test key (or deliberately not).
/// </summary>
public sealed class TestToken
{
    public const string UserObjectId = "6696d1bc-6012-47da-8556-ab4c747999c9";

    public Dictionary<string, object?> Header { get; } = new() { ["typ"] = "JWT" };

    public Dictionary<string, object?> Claims { get; } = [];

    /// <summary>A token as Entra ID issues it: valid from a minute ago for an hour, for ACL's audience.</summary>
    public static TestToken For(string issuer, TestSigningKey key, DateTimeOffset now)
    {
        var token = new TestToken();
        token.Header["alg"] = key.Algorithm;
        token.Header["kid"] = key.KeyId;
        token.Claims["iss"] = issuer;
        token.Claims["aud"] = JwtOptions.DefaultAudience;
        token.Claims["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds();
        token.Claims["nbf"] = now.AddMinutes(-1).ToUnixTimeSeconds();
        token.Claims["exp"] = now.AddHours(1).ToUnixTimeSeconds();
        token.Claims["oid"] = UserObjectId;
        token.Claims["tid"] = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        return token;
    }

    /// <summary>The compact JWS signed by <paramref name="key"/>.</summary>
    public string SignedBy(TestSigningKey key, DSASignatureFormat ecFormat = DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
    {
        var signingInput = SigningInput();
        return signingInput + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(signingInput), ecFormat));
    }

    /// <summary>The compact JWS with <paramref name="signature"/> as its third part, however it was made.</summary>
    public string WithSignature(byte[] signature) => SigningInput() + "." + Base64Url.EncodeToString(signature);

    public string SigningInput() => Encode(Header) + "." + Encode(Claims);

    public static string Encode(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
}
