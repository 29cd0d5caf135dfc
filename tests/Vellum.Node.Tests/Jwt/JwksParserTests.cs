using System.Text.Json;
using Vellum.Node.Authentication.Jwt;

namespace Vellum.Node.Tests.Jwt;

public sealed class JwksParserTests : IDisposable
{
    private readonly TestSigningKey _rsa = TestSigningKey.Rsa("rsa-1");
    private readonly TestSigningKey _ec = TestSigningKey.Ec("ec-1");

    [Fact]
    public void RsaAndP256KeysAreReadWithTheirKeyIdsAndAlgorithms()
    {
        var keys = Parse(_rsa.ToJwk(), _ec.ToJwk(new() { ["alg"] = "ES256" }));

        Assert.Equal(["ec-1", "rsa-1"], keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(JwsAlgorithm.RS256, keys["rsa-1"].Algorithm);
        Assert.Equal(JwsAlgorithm.ES256, keys["ec-1"].Algorithm);
    }

    [Fact]
    public void ParsedKeysVerifyTheirOwnSignaturesOnly()
    {
        var keys = Parse(_rsa.ToJwk(), _ec.ToJwk());
        var data = "header.payload"u8.ToArray();

        Assert.True(keys["rsa-1"].Verify(JwsAlgorithm.RS256, data, _rsa.Sign(data)));
        Assert.True(keys["ec-1"].Verify(JwsAlgorithm.ES256, data, _ec.Sign(data)));
        Assert.False(keys["rsa-1"].Verify(JwsAlgorithm.RS256, "header.payloaD"u8.ToArray(), _rsa.Sign(data)));
        Assert.False(keys["ec-1"].Verify(JwsAlgorithm.RS256, data, _ec.Sign(data)));
        Assert.False(keys["rsa-1"].Verify(JwsAlgorithm.RS256, data, new byte[7]));
    }

    public static TheoryData<string, object?> UnusableKeyChanges => new()
    {
        { "use", "enc" },
        { "kty", "oct" },
        { "kty", "OKP" },
        { "alg", "RS384" },
        { "alg", "ES256" },
        { "kid", "" },
        { "kid", null },
        { "n", "AQAB" },
        { "n", "not base64url!" },
        { "e", null },
    };

    [Theory]
    [MemberData(nameof(UnusableKeyChanges))]
    public void UnusableRsaKeyIsSkippedAndTheRestOfTheSetKept(string member, object? value)
    {
        var changed = _rsa.ToJwk();
        changed[member] = value;
        if (value is null)
        {
            changed.Remove(member);
        }

        var keys = Parse(changed, _ec.ToJwk());

        Assert.Equal(["ec-1"], keys.Keys);
    }

    [Theory]
    [InlineData("crv", "P-384")]
    [InlineData("alg", "ES384")]
    [InlineData("x", "AQAB")]
    public void UnusableEcKeyIsSkipped(string member, string value)
    {
        var keys = Parse(_ec.ToJwk(new() { [member] = value }), _rsa.ToJwk());

        Assert.Equal(["rsa-1"], keys.Keys);
    }

    [Fact]
    public void EcPointThatIsNotOnTheCurveIsSkipped()
    {
        var jwk = _ec.ToJwk();
        var y = System.Buffers.Text.Base64Url.DecodeFromChars((string)jwk["y"]!);
        y[^1] ^= 1;
        jwk["y"] = System.Buffers.Text.Base64Url.EncodeToString(y);

        Assert.Empty(Parse(jwk));
    }

    [Fact]
    public void RsaKeyShorterThan2048BitsIsSkipped()
    {
        using var weak = TestSigningKey.DistinctRsa("weak", bits: 1024);

        Assert.Empty(Parse(weak.ToJwk()));
    }

    [Fact]
    public void FirstKeyWinsWhenAKeyIdRepeats()
    {
        using var second = TestSigningKey.DistinctRsa("rsa-1");
        var keys = Parse(_rsa.ToJwk(), second.ToJwk());
        var data = "x"u8.ToArray();

        Assert.True(keys["rsa-1"].Verify(JwsAlgorithm.RS256, data, _rsa.Sign(data)));
        Assert.False(keys["rsa-1"].Verify(JwsAlgorithm.RS256, data, second.Sign(data)));
    }

    [Theory]
    [InlineData("""{"keys":{}}""", "no 'keys' array")]
    [InlineData("""[]""", "no 'keys' array")]
    [InlineData("""{"key":[]}""", "no 'keys' array")]
    public void DocumentThatIsNotAKeySetIsRefused(string json, string reason)
    {
        using var document = JsonDocument.Parse(json);

        Assert.False(JwksParser.TryParse(document.RootElement, out _, out var failure));
        Assert.Contains(reason, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void KeySetWithMoreKeysThanTheBoundIsRefused()
    {
        var jwks = new { keys = Enumerable.Range(0, JwksParser.MaxKeys + 1).Select(_ => _ec.ToJwk()).ToList() };
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(jwks));

        Assert.False(JwksParser.TryParse(document.RootElement, out _, out var failure));
        Assert.Contains("more than 100 keys", failure, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
    }

    private static Dictionary<string, SigningKey> Parse(params Dictionary<string, object?>[] jwks)
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(new { keys = jwks }));
        Assert.True(JwksParser.TryParse(document.RootElement, out var keys, out var failure), failure);
        return keys;
    }
}
