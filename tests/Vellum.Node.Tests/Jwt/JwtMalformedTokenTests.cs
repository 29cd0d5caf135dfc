using System.Buffers.Text;
using System.Text;
using Vellum.Node.Authentication.Jwt;

using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Jwt;

/// <summary>
/// Tokens refused for their form alone. The validator trusts an issuer on a closed port: a
/// malformed token must be refused before any key is looked up, so none of these tests can
/// pass by way of a fetch failure (the reasons asserted would differ).
/// </summary>
public sealed class JwtMalformedTokenTests : IDisposable
{
    private const string Issuer = "https://127.0.0.1:1/never-contacted";
    private static readonly string Header = Part("""{"alg":"RS256","kid":"k1","typ":"JWT"}""");
    private static readonly string Payload = Part($$"""{"iss":"{{Issuer}}","aud":"{{JwtOptions.DefaultAudience}}","exp":1900000000,"oid":"u"}""");
    private static readonly string Signature = Base64Url.EncodeToString(new byte[256]);

    private readonly JwtValidator _validator = new(new JwtOptions { Issuers = [Issuer], TimeProvider = new ManualClock(LocalOpenIdIssuer.Start) });

    public static TheoryData<string, string> MalformedTokens => new()
    {
        { "", "bearer token is empty" },
        { new string('a', JwtValidator.MaxTokenLength + 1), "longer than 16384 characters" },
        { "not-a-token", "exactly three dot-separated parts" },
        { $"{Header}.{Payload}", "exactly three dot-separated parts" },
        { $"{Header}.{Payload}.{Signature}.{Signature}", "exactly three dot-separated parts" },
        { $"{Header}=.{Payload}.{Signature}", "not unpadded base64url" },
        { $"{Header}.{Payload}.{Signature}==", "not unpadded base64url" },
        { $"{Header}.{Payload.Replace('_', '/').Replace('-', '+')}+/.{Signature}", "not unpadded base64url" },
        { $"{Header}.{Payload} .{Signature}", "not unpadded base64url" },
        { $"{Header}.{Payload}.{Signature}B", "not unpadded base64url" },
        { $"{Header[..^1]}{NonCanonicalLastChar(Header)}.{Payload}.{Signature}", "not unpadded base64url" },
        { $"{Part("not json")}.{Payload}.{Signature}", "header is not valid JSON" },
        { $".{Payload}.{Signature}", "header is not valid JSON" },
        { $"{Part("""["RS256"]""")}.{Payload}.{Signature}", "header is not a JSON object" },
        { $"{Part("""{"alg":"RS256","kid":"k1","kid":"k2"}""")}.{Payload}.{Signature}", "header is not valid JSON (or repeats a name)" },
        { $"{Part("""{"kid":"k1"}""")}.{Payload}.{Signature}", "no algorithm ('alg')" },
        { $"{Part("""{"alg":"RS512","kid":"k1"}""")}.{Payload}.{Signature}", "algorithm is not accepted" },
        { $"{Part("""{"alg":"rs256","kid":"k1"}""")}.{Payload}.{Signature}", "algorithm is not accepted" },
        { $"{Part("""{"alg":"RS256"}""")}.{Payload}.{Signature}", "no key id ('kid')" },
        { $"{Part("""{"alg":"RS256","kid":""}""")}.{Payload}.{Signature}", "no key id ('kid')" },
        { $"{Part("""{"alg":"RS256","kid":"k1","crit":["exp"],"exp":1}""")}.{Payload}.{Signature}", "'crit' parameter" },
        { $"{Header}.{Payload}.", "has no signature" },
        { $"{Header}.{Part("{not json")}.{Signature}", "payload is not valid JSON" },
        { $"{Header}..{Signature}", "payload is not valid JSON" },
        { $"{Header}.{Part("\"a string\"")}.{Signature}", "payload is not a JSON object" },
        { $"{Header}.{Base64Url.EncodeToString("{\"iss\":\""u8.ToArray().Append((byte)0xFF).Concat("\"}"u8.ToArray()).ToArray())}.{Signature}", "payload is not UTF-8 text" },
        { $"{Header}.{Part($$"""{"iss":"\udc00","aud":"{{JwtOptions.DefaultAudience}}","exp":1900000000,"oid":"u"}""")}.{Signature}", "no issuer ('iss')" },
        { $"{Header}.{Part($$"""{"iss":"{{Issuer}}","aud":["\ud800"],"exp":1900000000,"oid":"u"}""")}.{Signature}", "no audience ('aud')" },
        { $"{Header}.{Part($$"""{"iss":"{{Issuer}}","iss":"https://evil.example"}""")}.{Signature}", "repeats a claim" },
        { $"{Header}.{Part("""{"aud":"x","exp":1}""")}.{Signature}", "no issuer ('iss')" },
        { $"{Header}.{Part($$"""{"iss":"{{Issuer}}","aud":[1],"exp":1}""")}.{Signature}", "no audience ('aud')" },
    };

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public async Task MalformedTokenIsRejectedWithAReasonNamingTheProblem(string token, string reason)
    {
        var result = await _validator.ValidateAsync(token, default);

        Assert.False(result.IsValid);
        Assert.Contains(reason, result.FailureReason, StringComparison.Ordinal);
        Assert.Null(result.UserId);
    }

    [Fact]
    public async Task WellFormedTokenFromTheSameBuildingBlocksGetsAsFarAsTheKeyFetch()
    {
        // The control for the theory above: its building blocks are sound, so only the defects
        // each case introduces explain its failures.
        var result = await _validator.ValidateAsync($"{Header}.{Payload}.{Signature}", default);

        Assert.False(result.IsValid);
        Assert.Contains("could not be fetched", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoTruncationOfASoundTokenIsAcceptedOrThrows()
    {
        var token = $"{Header}.{Payload}.{Signature}";
        for (var length = 0; length < token.Length; length++)
        {
            var result = await _validator.ValidateAsync(token[..length], default);

            Assert.False(result.IsValid);
            Assert.False(string.IsNullOrWhiteSpace(result.FailureReason));
        }
    }

    public void Dispose() => _validator.Dispose();

    private static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    // The same bytes with a non-zero unused bit in the last character, which a lax decoder accepts.
    private static char NonCanonicalLastChar(string part)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        Assert.NotEqual(0, part.Length % 4);
        return Alphabet[Alphabet.IndexOf(part[^1], StringComparison.Ordinal) + 1];
    }
}
