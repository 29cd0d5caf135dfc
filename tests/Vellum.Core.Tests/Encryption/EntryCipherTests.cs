using System.Text;
using Vellum.Core;
using Vellum.Core.Encryption;
using Vellum.Core.Entries;

namespace Vellum.Core.Tests.Encryption;

public sealed class EntryCipherTests : IDisposable
{
    private const string Marker = "PLAINTEXT-MARKER-4f1c";

    private static readonly EntryHeader Header = new(
        EntryKind.PrivateWrite,
        new TransactionId(2, 15),
        Sha256Hash.Of("evidence"u8),
        Sha256Hash.Of("claims"u8));

    private static readonly byte[] ClaimSecret = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    private readonly LedgerSecret _secret = new(0, 1, Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private readonly EntryCipher _cipher;

    public EntryCipherTests() => _cipher = new EntryCipher(_secret);

    [Fact]
    public void SealedWriteOpensToItsCollectionTagsContentsAndClaimSecret()
    {
        var bytes = Seal(Header);

        var opened = _cipher.Open(bytes);

        Assert.Equal(Header, opened.Write.Header);
        Assert.Equal("subledger:0", opened.Write.CollectionId);
        Assert.Equal(["invoice", "äöü"], opened.Write.Tags);
        Assert.Equal(Marker + " 🌍", opened.Write.Contents);
        Assert.Equal(ClaimSecret, opened.ClaimSecret);
        Assert.Equal(Header, EntryCodec.Validate(bytes));
        Assert.Equal(bytes.Length, EntryCodec.GetPrivateWriteSize("subledger:0", ["invoice", "äöü"], Encoding.UTF8.GetByteCount(Marker + " 🌍")));
    }

    [Fact]
    public void SealedBytesHoldNeitherTheContentsNorTheClaimSecret()
    {
        var bytes = Seal(Header);

        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Marker)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(ClaimSecret.AsSpan(0, 8)));
        Assert.NotEqual(-1, bytes.AsSpan().IndexOf("subledger:0"u8));
    }

    [Fact]
    public void PublicPartsStayReadableWithoutTheSecret()
    {
        var view = EntryCodec.ReadWrite(Seal(Header));

        Assert.True(view.IsPrivate);
        Assert.Equal("subledger:0"u8.ToArray(), view.CollectionId.ToArray());
        Assert.Equal(2, view.TagCount);
    }

    [Fact]
    public void ThePublicDecoderRefusesToReturnSealedContents()
    {
        var bytes = Seal(Header);

        Assert.Throws<InvalidOperationException>(() => EntryCodec.DecodeWrite(bytes));
    }

    [Theory]
    [InlineData("ciphertext")]
    [InlineData("tag")]
    [InlineData("collection")]
    [InlineData("tags")]
    [InlineData("view")]
    [InlineData("claims digest")]
    public void AnyModifiedByteIsDetectedOnOpen(string where)
    {
        var bytes = Seal(Header);
        var offset = where switch
        {
            "ciphertext" => bytes.Length - EntryCodec.SealTagBytes - 3,
            "tag" => bytes.Length - 1,
            "collection" => EntryHeader.Size + 2,
            "tags" => EntryHeader.Size + 2 + "subledger:0".Length + 2,
            "view" => 8,
            _ => 60,
        };
        bytes[offset] ^= 0x01;

        Assert.Throws<EntryDecryptionException>(() => _cipher.Open(bytes));
    }

    [Fact]
    public void CiphertextMovedToAnotherEntryDoesNotOpen()
    {
        var first = Seal(Header);
        var second = Seal(Header with { Id = new TransactionId(2, 16) });
        var sealedLength = Encoding.UTF8.GetByteCount(Marker + " 🌍") + EntryCodec.SealedClaimSecretBytes + EntryCodec.SealTagBytes;
        first.AsSpan(first.Length - sealedLength).CopyTo(second.AsSpan(second.Length - sealedLength));

        Assert.Throws<EntryDecryptionException>(() => _cipher.Open(second));
    }

    [Fact]
    public void IvsDifferWhenSeqnoOrViewDiffers()
    {
        var ivs = new[] { new TransactionId(2, 15), new TransactionId(2, 16), new TransactionId(3, 15), new TransactionId(15, 2) }
            .Select(id =>
            {
                var iv = new byte[EntryCipher.IvBytes];
                EntryCipher.DeriveIv(id, iv);
                return Convert.ToHexString(iv);
            })
            .ToList();

        Assert.Equal(ivs.Count, ivs.Distinct().Count());
        Assert.Equal("0F000000000000000200000" + "0", ivs[0]);
    }

    [Fact]
    public void TheSameWriteInAnotherViewSealsToOtherCiphertext()
    {
        var earlier = Seal(Header);
        var later = Seal(Header with { Id = new TransactionId(3, 15) });

        Assert.NotEqual(earlier.AsSpan(EntryHeader.Size).ToArray(), later.AsSpan(EntryHeader.Size).ToArray());
    }

    [Fact]
    public void ViewsBeyondTheIvRangeAreRefused()
    {
        var iv = new byte[EntryCipher.IvBytes];

        Assert.Throws<ArgumentOutOfRangeException>(() => EntryCipher.DeriveIv(new TransactionId(EntryCipher.MaxView + 1, 1), iv));
    }

    [Fact]
    public void AnotherSecretCannotOpenTheEntry()
    {
        var bytes = Seal(Header);
        using var otherSecret = new LedgerSecret(0, 1, new byte[32]);
        using var other = new EntryCipher(otherSecret);

        Assert.Throws<EntryDecryptionException>(() => other.Open(bytes));
    }

    [Fact]
    public void AnEntryNamingASecretNotInForceAtItsSeqnoIsRefused()
    {
        using var laterSecret = new LedgerSecret(1, 10, new byte[32]);
        using var keyring = new LedgerKeyring([_secret, laterSecret]);
        var bytes = Seal(Header);

        Assert.Same(keyring.ForSeqno(15), keyring.ForSeqno(10));
        Assert.Throws<EntryDecryptionException>(() => keyring.Open(bytes));
        Assert.Equal(Marker + " 🌍", keyring.Open(Seal(Header with { Id = new TransactionId(2, 9) })).Write.Contents);
    }

    public void Dispose()
    {
        _cipher.Dispose();
        _secret.Dispose();
    }

    private byte[] Seal(EntryHeader header) => _cipher.Seal(header, "subledger:0", ["invoice", "äöü"], ClaimSecret, Encoding.UTF8.GetBytes(Marker + " 🌍"));
}
