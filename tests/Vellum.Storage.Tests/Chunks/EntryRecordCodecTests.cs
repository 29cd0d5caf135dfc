using System.Text;
using Vellum.Core;
using Vellum.Core.Encryption;
using Vellum.Core.Entries;
using Vellum.Storage.Chunks;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests.Chunks;

/// <summary>
/// Chunk format 2 stores entries compacted: reading a record back must give the canonical
/// entry byte for byte, for every kind, whether its collection id or node certificate was stored
/// inline or by number, and damaged stored bytes must be refused, never misread or thrown on.
/// </summary>
public sealed class EntryRecordCodecTests
{
    [Fact]
    public void EveryKindOfEntryReadsBackByteForByteAndRepeatedCollectionIdsAndCertificatesAreStoredOnce()
    {
        var entries = new List<byte[]>
        {
            EntryFactory.Write(7, collection: "payments", tags: ["eu", "card"], contents: "first"),
            EntryFactory.Write(8, collection: "payments", contents: string.Empty),
            EntryFactory.Write(9, collection: "audit", tags: ["x"], contents: "third", view: 300),
            EntryFactory.Signature(10, Sha256Hash.Of("root"u8)),
            PrivateWrite(11, "payments"),
            PrivateWrite(12, "secrets"),
            EntryFactory.Signature(13, Sha256Hash.Of("later root"u8)),
        };
        var writer = EntryRecordCodec.For(2);
        var stored = StoreAll(writer, entries);

        var reader = EntryRecordCodec.For(2);
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.Equal(entries[i], reader.Expand(stored[i], 7 + i, learn: true));
        }

        // What is implied is left out: the 88-byte header shrinks to form, view (one byte here) and
        // digests (66), the length of a collection id or certificate to a varint, the contents
        // length goes, and after its first use in the chunk the collection id or certificate is
        // a one-byte number.
        var certificate = EntryCodec.ReadSignature(entries[3]).NodeCertificateDer.Length;
        Assert.Equal(entries[0].Length - 22 - 1 - 4, stored[0].Length);
        Assert.Equal(entries[1].Length - 22 - (2 + "payments".Length - 1) - 4, stored[1].Length);
        Assert.Equal(entries[3].Length - 22 - 2 + VarInt.Size(certificate), stored[3].Length);
        Assert.Equal(entries[6].Length - 22 - (2 + certificate - 1), stored[6].Length);
        Assert.Equal(["payments", "audit", "secrets"], reader.Dictionary!.Strings.Where(text => text.Length < 100).Select(text => Encoding.UTF8.GetString(text)));
        Assert.Equal(4, reader.Dictionary.Count);
    }

    [Fact]
    public void AReaderWithTheChunksCollectionTableReadsRecordsInAnyOrder()
    {
        var writer = EntryRecordCodec.For(2);
        var entries = Enumerable.Range(1, 20).Select(seqno => EntryFactory.Write(seqno, collection: $"c{seqno % 4}")).ToList();
        var stored = StoreAll(writer, entries);

        var table = new ChunkDictionary();
        foreach (var text in writer.Dictionary!.Strings)
        {
            table.Add(text, 1);
        }

        var reader = EntryRecordCodec.Closed(table);
        foreach (var i in new[] { 19, 3, 0, 11, 7 })
        {
            Assert.Equal(entries[i], reader.Expand(stored[i], i + 1, learn: false));
        }
    }

    [Fact]
    public void ATruncationForgetsTheCollectionsFirstUsedAfterIt()
    {
        var codec = EntryRecordCodec.For(2);
        foreach (var (seqno, collection) in new[] { (1L, "a"), (2L, "b"), (3L, "a"), (4L, "c") })
        {
            var entry = EntryFactory.Write(seqno, collection: collection);
            codec.Store(entry, new byte[codec.StoredSize(entry)]);
        }

        codec.TruncateAfter(3);
        Assert.Equal(["a", "b"], codec.Dictionary!.Strings.Select(text => Encoding.UTF8.GetString(text)));
        codec.TruncateAfter(1);
        Assert.Equal(["a"], codec.Dictionary.Strings.Select(text => Encoding.UTF8.GetString(text)));

        var next = EntryFactory.Write(2, collection: "d");
        var record = new byte[codec.StoredSize(next)];
        codec.Store(next, record);
        Assert.Equal(1, codec.Dictionary.NumberOf("d"u8));
    }

    [Fact]
    public void DamagedStoredBytesAreRefusedOrFailValidationAndNeverThrow()
    {
        var codec = EntryRecordCodec.For(2);
        var entries = new[] { EntryFactory.Write(1, collection: "payments", tags: ["eu"], contents: "abc"), EntryFactory.Write(2, collection: "payments", contents: "def"), EntryFactory.Signature(3, Sha256Hash.Zero), EntryFactory.Signature(4, Sha256Hash.Zero) };
        var stored = StoreAll(codec, entries);

        // A record's checksum is what catches a cut or flipped byte; the codec itself must only
        // never throw on one, and refuse a record cut before its contents (where its structure
        // ends), since a write's contents length is implied by the record's.
        var contentsStart = new[] { stored[0].Length - 3, stored[1].Length - 3, stored[2].Length, stored[3].Length };
        for (var r = 0; r < stored.Count; r++)
        {
            for (var cut = 0; cut < contentsStart[r]; cut++)
            {
                Assert.False(Accepted(codec, stored[r].AsSpan(0, cut), r + 1), $"record {r} cut to {cut} bytes was accepted");
                Assert.False(Accepted(codec, [.. stored[r], .. "x"u8], r + 1) && r >= 2, $"signature {r} with a byte after its certificate was accepted");
            }

            for (var i = 0; i < stored[r].Length; i++)
            {
                foreach (var flip in new byte[] { 0x01, 0x80, 0xFF })
                {
                    var damaged = stored[r].ToArray();
                    damaged[i] ^= flip;
                    _ = Accepted(codec, damaged, r + 1);
                }
            }
        }
    }

    [Fact]
    public void AFormatOneCodecStoresTheCanonicalBytes()
    {
        var codec = EntryRecordCodec.For(1);
        var entry = EntryFactory.Write(5, collection: "payments");
        var record = new byte[codec.StoredSize(entry)];
        codec.Store(entry, record);

        Assert.Equal(entry, record);
        Assert.Equal(entry, codec.Expand(record, 5, learn: true));
        Assert.Null(codec.Dictionary);
    }

    private static List<byte[]> StoreAll(EntryRecordCodec codec, IEnumerable<byte[]> entries) => entries.Select(entry =>
    {
        var record = new byte[codec.StoredSize(entry)];
        codec.Store(entry, record);
        return record;
    }).ToList();

    /// <summary>Whether the stored bytes expand to an entry that validates; false when the codec or validation refuses them.</summary>
    private static bool Accepted(EntryRecordCodec codec, ReadOnlySpan<byte> stored, long seqno)
    {
        var entry = codec.Expand(stored, seqno, learn: false);
        if (entry is null)
        {
            return false;
        }

        try
        {
            EntryCodec.Validate(entry);
            return true;
        }
        catch (EntryFormatException)
        {
            return false;
        }
    }

    private static byte[] PrivateWrite(long seqno, string collection)
    {
        using var secret = new LedgerSecret(0, 1, new byte[LedgerSecret.SecretBytes]);
        using var cipher = new EntryCipher(secret);
        return cipher.Seal(EntryFactory.Header(EntryKind.PrivateWrite, EntryFactory.View, seqno), collection, ["t"], new byte[EntryCodec.SealedClaimSecretBytes], "sealed contents"u8);
    }
}
