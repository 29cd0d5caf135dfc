using System.Buffers.Binary;
using Vellum.Core;
using Vellum.Core.Entries;

namespace Vellum.Storage.Chunks;

/// <summary>
/// How one chunk stores its entries in entry records. Chunk format 1 stores an entry's canonical
/// bytes (the bytes its <c>writeSetDigest</c> hashes) as they are. Chunk format 2 stores them
/// compacted: what the record's place implies (the seqno, the constant header fields, the
/// contents length) is left out, the view is a varint, and a write's collection id and a
/// signature's node certificate are stored once per chunk and numbered after that
/// (<see cref="ChunkDictionary"/>). Reading a record rebuilds the canonical bytes exactly, so
/// everything above the chunk files sees the same entries either way.
/// </summary>
/// <remarks>
/// Canonical layout (docs/storage-format.md, "Ledger entry"): version, kind, flags, reserved,
/// view, seqno, commit evidence digest and claims digest in an 88-byte header, then the body. A
/// compact record is <c>u8 form ‖ varint view ‖ 64 bytes of digests ‖ body</c>; form holds the
/// kind in bits 0–1 and sets bit 2 when the entry's repeated string is stored inline.
/// </remarks>
internal sealed class EntryRecordCodec
{
    private const int ViewOffset = 8;
    private const int SeqnoOffset = 16;
    private const int DigestsOffset = 24;
    private const int DigestsSize = 64;
    private const int BodyOffset = EntryHeader.Size;
    private const int CompactHeaderMinSize = 1 + 1 + DigestsSize;
    private const byte Inline = 4;
    private const byte KindMask = 3;

    private EntryRecordCodec(ChunkDictionary? dictionary) => Dictionary = dictionary;

    /// <summary>The chunk's dictionary; null for a format-1 chunk, whose records hold canonical entries.</summary>
    public ChunkDictionary? Dictionary { get; }

    /// <summary>The chunk format whose records this codec reads and writes.</summary>
    public uint ChunkVersion => Dictionary is null ? 1u : 2u;

    /// <summary>A codec for a chunk of <paramref name="chunkVersion"/> with an empty dictionary (a new chunk, or one about to be scanned).</summary>
    public static EntryRecordCodec For(uint chunkVersion) => new(chunkVersion == 1 ? null : new ChunkDictionary());

    /// <summary>A codec for a closed compact chunk whose footer lists <paramref name="dictionary"/>.</summary>
    public static EntryRecordCodec Closed(ChunkDictionary dictionary) => new(dictionary);

    /// <summary>Whether <paramref name="form"/> can start a compact record: a kind, and possibly the inline bit, and nothing else.</summary>
    public static bool IsForm(byte form) => (form & ~(KindMask | Inline)) == 0 && (form & KindMask) != 0;

    /// <summary>The stored size of the canonical, validated <paramref name="entry"/>.</summary>
    public int StoredSize(ReadOnlySpan<byte> entry)
    {
        if (Dictionary is null)
        {
            return entry.Length;
        }

        var kind = Split(entry, out var before, out var repeated, out var after);
        var number = Dictionary.NumberOf(repeated);
        return 1 + VarInt.Size(View(entry)) + DigestsSize + before.Length
            + (number < 0 ? VarInt.Size(repeated.Length) + repeated.Length : VarInt.Size(number))
            + after.Length - (kind == EntryKind.Write ? 4 : 0);
    }

    /// <summary>
    /// Stores the canonical, validated <paramref name="entry"/> into <paramref name="into"/>, which
    /// is exactly <see cref="StoredSize"/> bytes; a string the chunk had not used is numbered.
    /// </summary>
    public void Store(ReadOnlySpan<byte> entry, Span<byte> into)
    {
        if (Dictionary is null)
        {
            entry.CopyTo(into);
            return;
        }

        Invariant.Check(entry[0] == EntryHeader.FormatVersion && BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]) == 0 && BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]) == 0, "a stored entry is a validated version-1 entry");
        var kind = Split(entry, out var before, out var repeated, out var after);
        var at = 1 + VarInt.Write(into[1..], View(entry));
        entry.Slice(DigestsOffset, DigestsSize).CopyTo(into[at..]);
        at += DigestsSize;
        before.CopyTo(into[at..]);
        at += before.Length;
        var number = Dictionary.NumberOf(repeated);
        into[0] = (byte)((byte)kind | (number < 0 ? Inline : 0));
        if (number < 0)
        {
            at += VarInt.Write(into[at..], repeated.Length);
            repeated.CopyTo(into[at..]);
            at += repeated.Length;
            Dictionary.Add(repeated, BinaryPrimitives.ReadInt64LittleEndian(entry[SeqnoOffset..]));
        }
        else
        {
            at += VarInt.Write(into[at..], number);
        }

        if (kind == EntryKind.Write)
        {
            // Tags are copied as they are; the contents length before the contents is implied.
            var tagsLength = TagsLength(after);
            after[..tagsLength].CopyTo(into[at..]);
            after[(tagsLength + 4)..].CopyTo(into[(at + tagsLength)..]);
        }
        else
        {
            after.CopyTo(into[at..]);
        }
    }

    /// <summary>
    /// The canonical bytes of entry <paramref name="seqno"/> from its stored record, or null when
    /// the record cannot be one. With <paramref name="learn"/> (a scan in seqno order) a string
    /// stored inline is numbered; otherwise the dictionary is used as it is.
    /// </summary>
    /// <remarks>The result is structurally sound as far as this layer goes; callers validate it as an entry.</remarks>
    public byte[]? Expand(ReadOnlySpan<byte> stored, long seqno, bool learn)
    {
        if (Dictionary is null)
        {
            return stored.ToArray();
        }

        if (stored.Length < CompactHeaderMinSize || !VarInt.TryRead(stored[1..], long.MaxValue, out var view, out var viewLength) || stored.Length - 1 - viewLength < DigestsSize)
        {
            return null;
        }

        var form = stored[0];
        if (!IsForm(form))
        {
            return null;
        }

        var kind = (EntryKind)(form & KindMask);

        var digests = stored.Slice(1 + viewLength, DigestsSize);
        var body = stored[(1 + viewLength + DigestsSize)..];

        // What precedes the repeated string: a signature's root and DER signature; nothing in a write.
        var beforeLength = 0;
        if (kind == EntryKind.Signature)
        {
            if (body.Length < Sha256Hash.Size + 2)
            {
                return null;
            }

            beforeLength = Sha256Hash.Size + 2 + BinaryPrimitives.ReadUInt16LittleEndian(body[Sha256Hash.Size..]);
            if (beforeLength > body.Length)
            {
                return null;
            }
        }

        var rest = body[beforeLength..];
        ReadOnlySpan<byte> repeated;
        if ((form & Inline) != 0)
        {
            var limit = kind == EntryKind.Signature ? EntryCodec.MaxSignatureFieldBytes : EntryCodec.MaxCollectionIdBytes;
            if (!VarInt.TryRead(rest, limit, out var length, out var lengthBytes) || rest.Length - lengthBytes < length)
            {
                return null;
            }

            repeated = rest.Slice(lengthBytes, (int)length);
            rest = rest[(lengthBytes + (int)length)..];
            if (learn && Dictionary.NumberOf(repeated) < 0)
            {
                Dictionary.Add(repeated, seqno);
            }
        }
        else
        {
            if (!VarInt.TryRead(rest, int.MaxValue, out var number, out var numberBytes) || Dictionary.TryGet((int)number) is not { } known)
            {
                return null;
            }

            repeated = known;
            rest = rest[numberBytes..];
        }

        var tagsLength = kind == EntryKind.Signature ? 0 : TagsLength(rest);
        if (tagsLength < 0 || (kind == EntryKind.Signature && !rest.IsEmpty))
        {
            return null;
        }

        return Canonical(kind, view, seqno, digests, body[..beforeLength], repeated, rest[..tagsLength], rest[tagsLength..]);
    }

    /// <summary>Forgets what entries after <paramref name="seqno"/> taught the codec (a truncation).</summary>
    public void TruncateAfter(long seqno) => Dictionary?.TruncateAfter(seqno);

    private static long View(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadInt64LittleEndian(entry[ViewOffset..]);

    /// <summary>
    /// Splits a canonical entry's body around its repeated string, which is stored with a
    /// <c>u16</c> length: a signature's node certificate, which ends it, or a write's collection
    /// id, which starts it. Returns the entry's kind.
    /// </summary>
    private static EntryKind Split(ReadOnlySpan<byte> entry, out ReadOnlySpan<byte> before, out ReadOnlySpan<byte> repeated, out ReadOnlySpan<byte> after)
    {
        var kind = (EntryKind)entry[1];
        var body = entry[BodyOffset..];
        var beforeLength = kind == EntryKind.Signature ? Sha256Hash.Size + 2 + BinaryPrimitives.ReadUInt16LittleEndian(body[Sha256Hash.Size..]) : 0;
        var length = BinaryPrimitives.ReadUInt16LittleEndian(body[beforeLength..]);
        before = body[..beforeLength];
        repeated = body.Slice(beforeLength + 2, length);
        after = body[(beforeLength + 2 + length)..];
        return kind;
    }

    /// <summary>The length of the tag section (count, then each tag with its length) at the start of <paramref name="body"/>; -1 when it runs past the end.</summary>
    private static int TagsLength(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return -1;
        }

        var at = 1;
        for (var i = 0; i < body[0]; i++)
        {
            if (at >= body.Length)
            {
                return -1;
            }

            at += 1 + body[at];
        }

        return at <= body.Length ? at : -1;
    }

    private static byte[] Canonical(EntryKind kind, long view, long seqno, ReadOnlySpan<byte> digests, ReadOnlySpan<byte> before, ReadOnlySpan<byte> repeated, ReadOnlySpan<byte> tags, ReadOnlySpan<byte> after)
    {
        var contentsLength = kind == EntryKind.Write ? 4 : 0;
        var entry = new byte[BodyOffset + before.Length + 2 + repeated.Length + tags.Length + contentsLength + after.Length];
        entry[0] = EntryHeader.FormatVersion;
        entry[1] = (byte)kind;
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(ViewOffset), view);
        BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(SeqnoOffset), seqno);
        digests.CopyTo(entry.AsSpan(DigestsOffset));
        var at = BodyOffset;
        before.CopyTo(entry.AsSpan(at));
        at += before.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(entry.AsSpan(at), (ushort)repeated.Length);
        repeated.CopyTo(entry.AsSpan(at + 2));
        at += 2 + repeated.Length;
        tags.CopyTo(entry.AsSpan(at));
        at += tags.Length;
        if (contentsLength > 0)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(at), (uint)after.Length);
            at += contentsLength;
        }

        after.CopyTo(entry.AsSpan(at));
        return entry;
    }
}
