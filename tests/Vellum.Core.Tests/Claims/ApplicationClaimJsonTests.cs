using System.Text.Json;
using Vellum.Core;
using Vellum.Core.Claims;

namespace Vellum.Core.Tests.Claims;

public class ApplicationClaimJsonTests
{
    private const string LedgerEntryJson =
        """{"kind":"LedgerEntry","ledgerEntry":{"protocol":"LedgerEntryV1","collectionId":"subledger:0","contents":"Hello world","secretKey":"Jde/VvaIfyrjQ/B19P+UJCBwmcrgN7sERStoyHnYO0M="}}""";

    private const string DigestJson =
        """{"kind":"ClaimDigest","digest":{"protocol":"LedgerEntryV1","value":"feb516ef1f903c64f1e388d9ee9fde11f64d1e2bc170248828c9eab9894f9ab9"}}""";

    [Fact]
    public void ClaimsAreWrittenInAclsCamelCaseShape()
    {
        var claims = new ApplicationClaim[] { ClaimsDigestTests.VectorClaim(), ClaimsDigestTests.VectorClaim().ToDigestClaim() };

        Assert.Equal($"[{LedgerEntryJson},{DigestJson}]", ApplicationClaimJson.Serialize(claims));
    }

    [Fact]
    public void WrittenClaimsParseBackToTheSameDigest()
    {
        var claims = ApplicationClaimJson.ParseList($"[{LedgerEntryJson},{DigestJson}]");

        var entry = Assert.IsType<LedgerEntryClaim>(claims[0]);
        Assert.Equal("subledger:0", entry.CollectionId);
        Assert.Equal("Hello world", entry.Contents);
        Assert.Equal(ClaimsDigestTests.VectorSecretKey, Convert.ToBase64String(entry.SecretKey));
        var digest = Assert.IsType<DigestClaim>(claims[1]);
        Assert.Equal(ClaimsDigestTests.VectorEntryDigest, digest.Value.ToHex());
        Assert.Equal(ClaimsDigestTests.VectorClaimsDigest, ClaimsDigest.Compute([claims[0]]).ToHex());
        Assert.Equal(ClaimsDigestTests.VectorClaimsDigest, ClaimsDigest.Compute([claims[1]]).ToHex());
    }

    [Fact]
    public void ContentsWithQuotesAndNonAsciiCharactersRoundTrip()
    {
        var claim = new LedgerEntryClaim("c", "\"quoted\" <tag> & é 😀 \\ \n", new byte[32]);

        var parsed = (LedgerEntryClaim)ApplicationClaimJson.ParseList(ApplicationClaimJson.Serialize([claim]))[0];

        Assert.Equal(claim.Contents, parsed.Contents);
        Assert.Equal(claim.ComputeClaimDigest(), parsed.ComputeClaimDigest());
    }

    [Theory]
    [InlineData("{}", "must be an array")]
    [InlineData("[1]", "applicationClaims[0] must be an object")]
    [InlineData("[{}]", "applicationClaims[0] is missing the required field \"kind\"")]
    [InlineData("""[{"kind":7}]""", "applicationClaims[0].kind must be a string")]
    [InlineData("""[{"kind":"Other"}]""", "not one of the known kinds")]
    [InlineData("""[{"kind":"LedgerEntry"}]""", "missing the required field \"ledgerEntry\"")]
    [InlineData("""[{"kind":"LedgerEntry","ledgerEntry":[]}]""", "ledgerEntry must be an object")]
    [InlineData("""[{"kind":"LedgerEntry","ledgerEntry":{"protocol":"LedgerEntryV2","collectionId":"c","contents":"x","secretKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}]""", "only \"LedgerEntryV1\" is supported")]
    [InlineData("""[{"kind":"LedgerEntry","ledgerEntry":{"protocol":"LedgerEntryV1","contents":"x","secretKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}]""", "missing the required field \"collectionId\"")]
    [InlineData("""[{"kind":"LedgerEntry","ledgerEntry":{"protocol":"LedgerEntryV1","collectionId":"c","contents":null,"secretKey":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}}]""", "contents must be a string, not null")]
    [InlineData("""[{"kind":"LedgerEntry","ledgerEntry":{"protocol":"LedgerEntryV1","collectionId":"c","contents":"x","secretKey":"not base64!"}}]""", "secretKey is not valid base64")]
    [InlineData("""[{"kind":"LedgerEntry","ledgerEntry":{"protocol":"LedgerEntryV1","collectionId":"c","contents":"x","secretKey":"AAAA"}}]""", "must decode to 32 bytes, not 3")]
    [InlineData("""[{"kind":"ClaimDigest","digest":{"protocol":"LedgerEntryV1","value":"abc"}}]""", "value must be 64 hexadecimal characters")]
    [InlineData("""[{"kind":"ClaimDigest","digest":{"value":"feb516ef1f903c64f1e388d9ee9fde11f64d1e2bc170248828c9eab9894f9ab9"}}]""", "missing the required field \"protocol\"")]
    [InlineData("""[{"kind":"ClaimDigest","kind":"LedgerEntry"}]""", "has the key \"kind\" twice")]
    [InlineData("[", "not valid JSON")]
    public void MalformedClaimsAreRejectedWithTheirPath(string json, string expected)
    {
        var exception = Assert.Throws<FormatException>(() => ApplicationClaimJson.ParseList(json));

        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASingleClaimParsesFromAJsonElement()
    {
        using var document = JsonDocument.Parse(DigestJson);

        var claim = ApplicationClaimJson.Parse(document.RootElement, "claim");

        Assert.Equal(Sha256Hash.ParseHex(ClaimsDigestTests.VectorEntryDigest), Assert.IsType<DigestClaim>(claim).Value);
    }
}
