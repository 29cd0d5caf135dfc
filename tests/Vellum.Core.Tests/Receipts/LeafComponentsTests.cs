using System.Security.Cryptography;
using System.Text;
using Vellum.Core.Receipts;

namespace Vellum.Core.Tests.Receipts;

public class LeafComponentsTests
{
    private const string Evidence = "ce:2.35:fa08b4eae4a034971b97f0b21810951ec64b06fb2f4b5a1e80f6f4b83a23c719";
    private static readonly Sha256Hash WriteSet = Sha256Hash.ParseHex("fef1aa22972daba05864a7e986c1bb94aa6b8fea43781cb48907c972e9761e71");

    [Fact]
    public void LeafIsTheHashOfWriteSetDigestEvidenceDigestAndClaimsDigest()
    {
        var claims = Sha256Hash.Of("claims"u8);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(WriteSet.Bytes);
        hash.AppendData(SHA256.HashData(Encoding.UTF8.GetBytes(Evidence)));
        hash.AppendData(claims.Bytes);

        var leaf = new LeafComponents(WriteSet, Evidence, claims).Leaf();

        Assert.Equal(Convert.ToHexStringLower(hash.GetHashAndReset()), leaf.ToHex());
    }

    [Fact]
    public void TypedEvidenceGivesTheSameComponentsAsItsText()
    {
        var typed = new LeafComponents(WriteSet, CommitEvidence.Parse(Evidence), Sha256Hash.Zero);

        Assert.Equal(new LeafComponents(WriteSet, Evidence, Sha256Hash.Zero), typed);
        Assert.Equal(Evidence, typed.CommitEvidence);
    }

    [Fact]
    public void ChangingAnyComponentChangesTheLeaf()
    {
        var leaf = new LeafComponents(WriteSet, Evidence, Sha256Hash.Zero).Leaf();

        Assert.NotEqual(leaf, new LeafComponents(Sha256Hash.Zero, Evidence, Sha256Hash.Zero).Leaf());
        Assert.NotEqual(leaf, new LeafComponents(WriteSet, Evidence + " ", Sha256Hash.Zero).Leaf());
        Assert.NotEqual(leaf, new LeafComponents(WriteSet, Evidence, WriteSet).Leaf());
    }

    [Fact]
    public void NullCommitEvidenceIsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new LeafComponents(WriteSet, (string)null!, Sha256Hash.Zero));
    }
}
