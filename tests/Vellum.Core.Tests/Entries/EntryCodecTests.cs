using System.Text;
using Vellum.Core;
using Vellum.Core.Entries;

namespace Vellum.Core.Tests.Entries;

public class EntryCodecTests
{
    private static readonly EntryHeader WriteHeader = new(
        EntryKind.Write,
        new TransactionId(2, 15),
        Sha256Hash.Of("evidence"u8),
        Sha256Hash.Of("claims"u8));

    [Fact]
    public void WriteEntriesRoundTripWithCollectionTagsAndContents()
    {
        var bytes = EntryCodec.EncodeWrite(WriteHeader, "subledger:0", ["invoice", "äöü"], "Hello world 🌍"u8);

        var entry = EntryCodec.DecodeWrite(bytes);

        Assert.Equal(WriteHeader, entry.Header);
        Assert.Equal("subledger:0", entry.CollectionId);
        Assert.Equal(["invoice", "äöü"], entry.Tags);
        Assert.Equal("Hello world 🌍", entry.Contents);
        Assert.Equal(WriteHeader, EntryCodec.Validate(bytes));
        Assert.Equal(bytes.Length, EntryCodec.GetWriteSize("subledger:0", ["invoice", "äöü"], "Hello world 🌍"u8.Length));
    }

    [Fact]
    public void TheViewExposesTheSameFieldsWithoutCopying()
    {
        var bytes = EntryCodec.EncodeWrite(WriteHeader, "c", ["a", "bb"], ""u8);

        var view = EntryCodec.ReadWrite(bytes);
        var tags = new List<string>();
        foreach (var tag in view.Tags)
        {
            tags.Add(Encoding.UTF8.GetString(tag));
        }

        Assert.Equal("c"u8, view.CollectionId);
        Assert.Equal(["a", "bb"], tags);
        Assert.Equal(0, view.Contents.Length);
    }

    [Fact]
    public void SignatureEntriesRoundTrip()
    {
        var header = WriteHeader with { Kind = EntryKind.Signature, ClaimsDigest = Sha256Hash.Zero };
        var root = Sha256Hash.Of("root"u8);

        var entry = EntryCodec.ReadSignature(EntryCodec.EncodeSignature(header, root, [1, 2, 3], [4, 5]));

        Assert.Equal(header, entry.Header);
        Assert.Equal(root, entry.Root);
        Assert.Equal([1, 2, 3], entry.Signature);
        Assert.Equal([4, 5], entry.NodeCertificateDer);
        Assert.Equal(15, entry.TreeSize);
    }

    [Fact]
    public void TheHeaderSitsAtTheDocumentedOffsets()
    {
        var bytes = EntryCodec.EncodeWrite(WriteHeader, "c", [], "x"u8);

        Assert.Equal(1, bytes[0]);
        Assert.Equal((byte)EntryKind.Write, bytes[1]);
        Assert.Equal(2, BitConverter.ToInt64(bytes, 8));
        Assert.Equal(15, BitConverter.ToInt64(bytes, 16));
        Assert.Equal(WriteHeader.CommitEvidenceDigest.Bytes, bytes.AsSpan(24, 32));
        Assert.Equal(WriteHeader.ClaimsDigest.Bytes, bytes.AsSpan(56, 32));
    }

    [Fact]
    public void TheLeafHashesTheThreeComponentsInOrder()
    {
        var writeSet = Sha256Hash.Of("ws"u8);
        var expected = Sha256Hash.Of([.. writeSet.Bytes, .. WriteHeader.CommitEvidenceDigest.Bytes, .. WriteHeader.ClaimsDigest.Bytes]);

        Assert.Equal(expected, WriteHeader.Leaf(writeSet));
    }

    [Fact]
    public void EveryTruncationAndAnyTrailingByteIsRejected()
    {
        var bytes = EntryCodec.EncodeWrite(WriteHeader, "subledger:0", ["t1", "t2"], "contents"u8);

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<EntryFormatException>(() => EntryCodec.Validate(bytes.AsSpan(0, length)));
        }

        Assert.Throws<EntryFormatException>(() => EntryCodec.Validate([.. bytes, 0]));
    }

    [Theory]
    [InlineData(0, 2, "format version 2")]
    [InlineData(1, 9, "kind 9 is unknown")]
    [InlineData(2, 1, "flags and reserved")]
    [InlineData(5, 1, "flags and reserved")]
    public void MalformedHeadersAreRejectedWithAReason(int offset, byte value, string reason)
    {
        var bytes = EntryCodec.EncodeWrite(WriteHeader, "c", [], "x"u8);
        bytes[offset] = value;

        var error = Assert.Throws<EntryFormatException>(() => EntryCodec.Validate(bytes));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroSeqnoInvalidUtf8AndDuplicateTagsInStoredBytesAreRejected()
    {
        var zeroSeqno = EntryCodec.EncodeWrite(WriteHeader, "c", [], "x"u8);
        zeroSeqno.AsSpan(16, 8).Clear();
        Assert.Contains("at least 1", Assert.Throws<EntryFormatException>(() => EntryCodec.Validate(zeroSeqno)).Message, StringComparison.Ordinal);

        var badUtf8 = EntryCodec.EncodeWrite(WriteHeader, "c", [], "x"u8);
        badUtf8[^1] = 0xFF;
        Assert.Contains("not valid UTF-8", Assert.Throws<EntryFormatException>(() => EntryCodec.Validate(badUtf8)).Message, StringComparison.Ordinal);

        var duplicate = EntryCodec.EncodeWrite(WriteHeader, "c", ["ab", "cd"], "x"u8);
        var tagStart = EntryHeader.Size + 2 + 1 + 1;
        duplicate[tagStart + 3 + 1] = (byte)'a';
        duplicate[tagStart + 3 + 2] = (byte)'b';
        Assert.Contains("distinct", Assert.Throws<EntryFormatException>(() => EntryCodec.Validate(duplicate)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASignatureIsNotAcceptedAsAWriteOrTheReverse()
    {
        var write = EntryCodec.EncodeWrite(WriteHeader, "c", [], "x"u8);

        Assert.Throws<EntryFormatException>(() => EntryCodec.ReadSignature(write));
    }

    [Fact]
    public void EncodingRejectsArgumentsOutsideTheFormatsLimits()
    {
        Assert.Throws<ArgumentException>(() => EntryCodec.EncodeWrite(WriteHeader, "", [], "x"u8));
        Assert.Throws<ArgumentException>(() => EntryCodec.EncodeWrite(WriteHeader, new string('c', EntryCodec.MaxCollectionIdBytes + 1), [], "x"u8));
        Assert.Throws<ArgumentException>(() => EntryCodec.EncodeWrite(WriteHeader, "c", ["a", "a"], "x"u8));
        Assert.Throws<ArgumentException>(() => EntryCodec.EncodeWrite(WriteHeader, "c", [""], "x"u8));
        Assert.Throws<ArgumentException>(() => EntryCodec.EncodeWrite(WriteHeader, "c", Enumerable.Range(0, 33).Select(i => $"t{i}").ToList(), "x"u8));
        Assert.Throws<ArgumentException>(() => EntryCodec.EncodeWrite(WriteHeader, "\ud800", [], "x"u8));
        Assert.Throws<ArgumentException>(() => EntryCodec.EncodeWrite(WriteHeader, "c", [], [0xC3]));
        Assert.Throws<ArgumentException>(() => EntryCodec.EncodeWrite(WriteHeader with { Kind = EntryKind.Signature }, "c", [], "x"u8));
        Assert.Throws<ArgumentException>(() => EntryCodec.EncodeSignature(WriteHeader, Sha256Hash.Zero, [1], [1]));
        Assert.Throws<ArgumentException>(() => EntryCodec.EncodeSignature(WriteHeader with { Kind = EntryKind.Signature }, Sha256Hash.Zero, [], [1]));
    }
}
