using System.Security.Cryptography;
using System.Text;
using Vellum.Core;
using Vellum.Core.Claims;

namespace Vellum.Core.Tests.Claims;

public class ClaimsDigestTests
{
    // ACL-WIRE §6.3, from the Python SDK's claims_constants.py.
    internal const string VectorCollectionId = "subledger:0";
    internal const string VectorContents = "Hello world";
    internal const string VectorSecretKey = "Jde/VvaIfyrjQ/B19P+UJCBwmcrgN7sERStoyHnYO0M=";
    internal const string VectorEntryDigest = "feb516ef1f903c64f1e388d9ee9fde11f64d1e2bc170248828c9eab9894f9ab9";
    internal const string VectorClaimsDigest = "d08d8764437d09b2d4d07d52293cddaf40f44a3ea2176a0528819a80002df9f6";

    internal static LedgerEntryClaim VectorClaim() =>
        new(VectorCollectionId, VectorContents, Convert.FromBase64String(VectorSecretKey));

    [Fact]
    public void LedgerEntryClaimReproducesTheAclEntryDigest()
    {
        Assert.Equal(VectorEntryDigest, VectorClaim().ComputeEntryDigest().ToHex());
    }

    [Fact]
    public void LedgerEntryClaimReproducesTheAclClaimsDigest()
    {
        Assert.Equal(VectorClaimsDigest, ClaimsDigest.Compute([VectorClaim()]).ToHex());
    }

    [Fact]
    public void EquivalentDigestClaimReproducesTheAclClaimsDigest()
    {
        var claim = new DigestClaim("LedgerEntryV1", Sha256Hash.ParseHex(VectorEntryDigest));

        Assert.Equal(VectorClaimsDigest, ClaimsDigest.Compute([claim]).ToHex());
    }

    [Fact]
    public void ALedgerEntryClaimAndItsDigestClaimHaveTheSameClaimDigest()
    {
        var entry = VectorClaim();
        var digest = entry.ToDigestClaim();

        Assert.Equal("LedgerEntryV1", digest.Protocol);
        Assert.Equal(VectorEntryDigest, digest.Value.ToHex());
        Assert.Equal(entry.ComputeClaimDigest(), digest.ComputeClaimDigest());
    }

    [Fact]
    public void SeveralClaimsAreCountedAndConcatenatedInOrder()
    {
        // Computed independently with Python: SHA-256(02000000 ‖ cd(LedgerEntryV1, d) ‖ cd("Other", d)).
        var other = new DigestClaim("Other", Sha256Hash.ParseHex(VectorEntryDigest));

        var digest = ClaimsDigest.Compute([VectorClaim(), other]);

        Assert.Equal("9508de3b7fe09b89534c0d4e4e433a25d193cbddff9ac9a111b6b5894981830e", digest.ToHex());
        Assert.NotEqual(digest, ClaimsDigest.Compute([other, VectorClaim()]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(5000)]
    public void ADigestClaimHashesItsProtocolAndValueWhateverTheProtocolsLength(int protocolLength)
    {
        var protocol = string.Concat(Enumerable.Repeat("é", protocolLength / 2)) + new string('p', protocolLength % 2);
        var value = Sha256Hash.Of("value"u8);

        var digest = new DigestClaim(protocol, value).ComputeClaimDigest();

        Assert.Equal(SHA256.HashData([.. Encoding.UTF8.GetBytes(protocol), .. value.Bytes]), digest.Bytes.ToArray());
    }

    [Fact]
    public void NoClaimsGiveTheZeroDigest()
    {
        Assert.Equal(Sha256Hash.Zero, ClaimsDigest.Compute([]));
    }

    [Fact]
    public void ChangingAnyPartOfALedgerEntryClaimChangesItsDigest()
    {
        var key = Convert.FromBase64String(VectorSecretKey);
        var otherKey = key.ToArray();
        otherKey[0] ^= 1;
        var original = VectorClaim().ComputeClaimDigest();

        Assert.NotEqual(original, new LedgerEntryClaim("subledger:1", VectorContents, key).ComputeClaimDigest());
        Assert.NotEqual(original, new LedgerEntryClaim(VectorCollectionId, "Hello world!", key).ComputeClaimDigest());
        Assert.NotEqual(original, new LedgerEntryClaim(VectorCollectionId, VectorContents, otherKey).ComputeClaimDigest());
    }

    [Fact]
    public void ASecretKeyOfTheWrongLengthIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new LedgerEntryClaim("c", "x", new byte[16]));
    }
}
