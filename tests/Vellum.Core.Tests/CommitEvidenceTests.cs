using System.Security.Cryptography;
using System.Text;
using Vellum.Core;

namespace Vellum.Core.Tests;

public class CommitEvidenceTests
{
    // Secret 00 01 02 … 1f; the expected values were computed independently with Python's hmac module.
    private static readonly byte[] Secret = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private const string KnownEvidence = "ce:2.15:fbb0cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc5";
    private const string KnownDigest = "81d93a41219a3d6f1434c256d1a4a245519b00d2f8f1f6a554f2547547ba3eb3";

    [Fact]
    public void EvidenceMatchesAnIndependentlyComputedValue()
    {
        using var deriver = new CommitEvidenceDeriver(Secret);

        var evidence = deriver.Derive(new TransactionId(2, 15));

        Assert.Equal(KnownEvidence, evidence.ToString());
        Assert.Equal(KnownDigest, evidence.Digest().ToHex());
        Assert.Equal(KnownDigest, deriver.DeriveDigest(new TransactionId(2, 15)).ToHex());
    }

    [Theory]
    [InlineData(1L, 1L)]
    [InlineData(7L, 123_456_789_012L)]
    [InlineData(long.MaxValue, long.MaxValue)]
    public void TheDigestIsTheHashOfTheTextFormUpToTheLongestId(long view, long seqno)
    {
        using var deriver = new CommitEvidenceDeriver(Secret);
        var evidence = deriver.Derive(new TransactionId(view, seqno));

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(evidence.ToString()));

        Assert.Equal(Convert.ToHexStringLower(expected), evidence.Digest().ToHex());
        Assert.Equal(evidence.Digest(), CommitEvidence.DigestOf(evidence.ToString()));
    }

    [Fact]
    public void EvidenceFollowsTheDocumentedHmacDerivation()
    {
        using var deriver = new CommitEvidenceDeriver(Secret);
        var id = new TransactionId(7, 123_456_789_012);

        using var outer = new HMACSHA256(Secret);
        var commitSecret = outer.ComputeHash(Encoding.UTF8.GetBytes("Vellum commit evidence v1"));
        using var inner = new HMACSHA256(commitSecret);
        var nonce = inner.ComputeHash(Encoding.UTF8.GetBytes("7.123456789012"));

        Assert.Equal("ce:7.123456789012:" + Convert.ToHexStringLower(nonce), deriver.Derive(id).ToString());
    }

    [Fact]
    public void EvidenceHasTheAclFormWithLowercaseHex()
    {
        using var deriver = new CommitEvidenceDeriver(Secret);

        var text = deriver.Derive(new TransactionId(long.MaxValue, long.MaxValue)).ToString();

        Assert.Matches("^ce:9223372036854775807\\.9223372036854775807:[0-9a-f]{64}$", text);
    }

    [Fact]
    public void DerivationIsDeterministicAcrossInstances()
    {
        using var first = new CommitEvidenceDeriver(Secret);
        using var second = new CommitEvidenceDeriver(Secret.ToArray());

        Assert.Equal(first.Derive(new TransactionId(3, 9)), second.Derive(new TransactionId(3, 9)));
    }

    [Fact]
    public void ADifferentSecretGivesDifferentEvidence()
    {
        var otherSecret = Secret.ToArray();
        otherSecret[^1] ^= 1;
        using var first = new CommitEvidenceDeriver(Secret);
        using var second = new CommitEvidenceDeriver(otherSecret);

        Assert.NotEqual(first.Derive(new TransactionId(3, 9)).Nonce, second.Derive(new TransactionId(3, 9)).Nonce);
    }

    [Fact]
    public void DifferentTransactionIdsGiveDifferentNonces()
    {
        using var deriver = new CommitEvidenceDeriver(Secret);
        var ids = new[] { new TransactionId(1, 1), new TransactionId(1, 2), new TransactionId(2, 1), new TransactionId(11, 1), new TransactionId(1, 11) };

        var nonces = ids.Select(id => deriver.Derive(id).Nonce).ToHashSet();

        Assert.Equal(ids.Length, nonces.Count);
    }

    [Fact]
    public void ParsingTheTextFormGivesBackTheEvidence()
    {
        using var deriver = new CommitEvidenceDeriver(Secret);
        var evidence = deriver.Derive(new TransactionId(12, 3400));

        var parsed = CommitEvidence.Parse(evidence.ToString());

        Assert.Equal(evidence, parsed);
        Assert.Equal(new TransactionId(12, 3400), parsed.TransactionId);
        Assert.Equal(evidence.ToString(), parsed.ToString());
    }

    [Fact]
    public void TheAclVectorsEvidenceParses()
    {
        var parsed = CommitEvidence.Parse("ce:2.35:fa08b4eae4a034971b97f0b21810951ec64b06fb2f4b5a1e80f6f4b83a23c719");

        Assert.Equal(new TransactionId(2, 35), parsed.TransactionId);
    }

    [Theory]
    [InlineData("", "must start with")]
    [InlineData("ce2.15:fbb0cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc5", "must start with")]
    [InlineData("CE:2.15:fbb0cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc5", "must start with")]
    [InlineData("ce:2.15", "must have the form")]
    [InlineData("ce:2:fbb0cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc5", "transaction id is invalid")]
    [InlineData("ce:02.15:fbb0cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc5", "leading zero")]
    [InlineData("ce:0.15:fbb0cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc5", "transaction id is invalid")]
    [InlineData("ce:2.15:", "64 lowercase hexadecimal")]
    [InlineData("ce:2.15:fbb0cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc", "64 lowercase hexadecimal")]
    [InlineData("ce:2.15:fbb0cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc5a", "64 lowercase hexadecimal")]
    [InlineData("ce:2.15:FBB0cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc5", "64 lowercase hexadecimal")]
    [InlineData("ce:2.15:gbb0cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc5", "64 lowercase hexadecimal")]
    [InlineData("ce:2.15:fbb0cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc5 ", "64 lowercase hexadecimal")]
    [InlineData("ce:2.15:fbb0:cdafe6419c6b2724cc38e6e87dc191406c1b9454aad935d15e123845dbc5", "64 lowercase hexadecimal")]
    public void MalformedEvidenceIsRejectedWithAReason(string text, string reason)
    {
        Assert.False(CommitEvidence.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        var exception = Assert.Throws<FormatException>(() => CommitEvidence.Parse(text));
        Assert.Equal(error, exception.Message);
    }

    [Fact]
    public void DigestOfHashesTheExactText()
    {
        Assert.Equal(Sha256Hash.Of(Encoding.UTF8.GetBytes(KnownEvidence)), CommitEvidence.DigestOf(KnownEvidence));
        Assert.Equal(KnownDigest, CommitEvidence.DigestOf(KnownEvidence).ToHex());
    }

    [Fact]
    public void AShortServiceSecretIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new CommitEvidenceDeriver(new byte[31]));
    }

    [Fact]
    public void ADisposedDeriverRefusesToDerive()
    {
        var deriver = new CommitEvidenceDeriver(Secret);
        deriver.Dispose();

        Assert.Throws<ObjectDisposedException>(() => deriver.Derive(new TransactionId(1, 1)));
    }

    [Fact]
    public void EvidenceForTheDefaultTransactionIdCannotBeMade()
    {
        Assert.Throws<ArgumentException>(() => new CommitEvidence(default, Sha256Hash.Zero));
    }
}
