using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Vellum.Core.Entries;

/// <summary>
/// Encodes and decodes ledger entries: the exact bytes whose SHA-256 is the entry's
/// <c>writeSetDigest</c>. Little-endian; documented byte by byte in docs/storage-format.md.
/// Every read validates the whole structure, so malformed bytes never reach the caller.
/// </summary>
public static partial class EntryCodec
{
    /// <summary>The longest collection id, in UTF-8 bytes.</summary>
    public const int MaxCollectionIdBytes = 1024;

    /// <summary>The most tags an entry may carry.</summary>
    public const int MaxTags = 32;

    /// <summary>The longest tag, in UTF-8 bytes.</summary>
    public const int MaxTagBytes = 255;

    /// <summary>The longest contents, in UTF-8 bytes.</summary>
    public const int MaxContentsBytes = 32 * 1024 * 1024;

    /// <summary>The longest DER signature or node certificate a signature entry may carry.</summary>
    public const int MaxSignatureFieldBytes = ushort.MaxValue;

    /// <summary>The encoded size of a write entry.</summary>
    /// <exception cref="ArgumentException">The collection id or a tag is empty, too long or not valid Unicode.</exception>
    public static int GetWriteSize(string collectionId, IReadOnlyList<string> tags, int contentsBytes)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var size = EntryHeader.Size + 2 + EntryText.ByteCount(collectionId, MaxCollectionIdBytes, "collection id", nameof(collectionId)) + 1 + 4 + contentsBytes;
        foreach (var tag in tags)
        {
            size += 1 + EntryText.ByteCount(tag, MaxTagBytes, "tag", nameof(tags));
        }

        return size;
    }

    /// <summary>Encodes an application write into a new array.</summary>
    /// <exception cref="ArgumentException">An argument breaks the format's limits; the message says which.</exception>
    public static byte[] EncodeWrite(in EntryHeader header, string collectionId, IReadOnlyList<string> tags, ReadOnlySpan<byte> contentsUtf8)
    {
        CheckWriteArguments(header, tags, contentsUtf8);
        var entry = new byte[GetWriteSize(collectionId, tags, contentsUtf8.Length)];
        EncodeWrite(entry, header, collectionId, tags, contentsUtf8);
        return entry;
    }

    /// <summary>Encodes an application write into <paramref name="destination"/>, which is exactly <see cref="GetWriteSize"/> bytes.</summary>
    /// <exception cref="ArgumentException">An argument breaks the format's limits; the message says which.</exception>
    public static void EncodeWrite(Span<byte> destination, in EntryHeader header, string collectionId, IReadOnlyList<string> tags, ReadOnlySpan<byte> contentsUtf8)
    {
        CheckWriteArguments(header, tags, contentsUtf8);
        if (destination.Length != GetWriteSize(collectionId, tags, contentsUtf8.Length))
        {
            throw new ArgumentException("The destination must be exactly the entry's encoded size.", nameof(destination));
        }

        var body = WriteCollectionAndTags(destination, header, collectionId, tags);
        BinaryPrimitives.WriteUInt32LittleEndian(body, (uint)contentsUtf8.Length);
        contentsUtf8.CopyTo(body[4..]);
    }

    /// <summary>Writes the header, collection id and tags that start every write entry; returns the rest of <paramref name="destination"/>.</summary>
    private static Span<byte> WriteCollectionAndTags(Span<byte> destination, in EntryHeader header, string collectionId, IReadOnlyList<string> tags)
    {
        WriteHeader(destination, header);
        var body = destination[EntryHeader.Size..];
        var collectionBytes = EntryText.Write(collectionId, body[2..]);
        BinaryPrimitives.WriteUInt16LittleEndian(body, (ushort)collectionBytes);
        body = body[(2 + collectionBytes)..];
        body[0] = (byte)tags.Count;
        body = body[1..];
        foreach (var tag in tags)
        {
            var tagBytes = EntryText.Write(tag, body[1..]);
            body[0] = (byte)tagBytes;
            body = body[(1 + tagBytes)..];
        }

        return body;
    }

    /// <summary>Encodes a signature transaction into a new array.</summary>
    /// <exception cref="ArgumentException">An argument breaks the format's limits; the message says which.</exception>
    public static byte[] EncodeSignature(in EntryHeader header, in Sha256Hash root, ReadOnlySpan<byte> signatureDer, ReadOnlySpan<byte> nodeCertificateDer)
    {
        if (header.Kind != EntryKind.Signature)
        {
            throw new ArgumentException("A signature entry needs a header of kind Signature.", nameof(header));
        }

        CheckField(signatureDer.Length, "signature");
        CheckField(nodeCertificateDer.Length, "node certificate");
        var entry = new byte[EntryHeader.Size + Sha256Hash.Size + 2 + signatureDer.Length + 2 + nodeCertificateDer.Length];
        WriteHeader(entry, header);
        var body = entry.AsSpan(EntryHeader.Size);
        root.CopyTo(body);
        body = body[Sha256Hash.Size..];
        BinaryPrimitives.WriteUInt16LittleEndian(body, (ushort)signatureDer.Length);
        signatureDer.CopyTo(body[2..]);
        body = body[(2 + signatureDer.Length)..];
        BinaryPrimitives.WriteUInt16LittleEndian(body, (ushort)nodeCertificateDer.Length);
        nodeCertificateDer.CopyTo(body[2..]);
        return entry;

        static void CheckField(int length, string name)
        {
            if (length is 0 or > MaxSignatureFieldBytes)
            {
                throw new ArgumentException($"A signature entry's {name} must be 1 to {MaxSignatureFieldBytes} bytes, not {length}.");
            }
        }
    }

    /// <summary>Reads and validates the header, then validates the body of its kind.</summary>
    /// <exception cref="EntryFormatException">The bytes are not a well-formed entry.</exception>
    public static EntryHeader Validate(ReadOnlySpan<byte> entry)
    {
        var header = ReadHeader(entry);
        switch (header.Kind)
        {
            case EntryKind.Write or EntryKind.PrivateWrite:
                _ = ReadWrite(entry);
                break;
            case EntryKind.Signature:
                _ = ReadSignature(entry);
                break;
        }

        return header;
    }

    /// <summary>Reads and validates the fixed header only.</summary>
    /// <exception cref="EntryFormatException">The header is malformed.</exception>
    public static EntryHeader ReadHeader(ReadOnlySpan<byte> entry)
    {
        if (entry.Length < EntryHeader.Size)
        {
            throw new EntryFormatException($"An entry is at least {EntryHeader.Size} bytes; this one is {entry.Length}.");
        }

        if (entry[0] != EntryHeader.FormatVersion)
        {
            throw new EntryFormatException($"Entry format version {entry[0]} is not supported (this build reads version {EntryHeader.FormatVersion}).");
        }

        var kind = (EntryKind)entry[EntryHeader.KindOffset];
        if (kind is not (EntryKind.Write or EntryKind.Signature or EntryKind.PrivateWrite))
        {
            throw new EntryFormatException($"Entry kind {(byte)kind} is unknown.");
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(entry[EntryHeader.FlagsOffset..]) != 0
            || BinaryPrimitives.ReadUInt32LittleEndian(entry[EntryHeader.ReservedOffset..]) != 0)
        {
            throw new EntryFormatException("An entry's flags and reserved bytes must be zero in format version 1.");
        }

        var view = BinaryPrimitives.ReadInt64LittleEndian(entry[EntryHeader.ViewOffset..]);
        var seqno = BinaryPrimitives.ReadInt64LittleEndian(entry[EntryHeader.SeqnoOffset..]);
        if (view < 1 || seqno < 1)
        {
            throw new EntryFormatException($"An entry's view and seqno are at least 1; this one has view {view} and seqno {seqno}.");
        }

        return new EntryHeader(
            kind,
            new TransactionId(view, seqno),
            new Sha256Hash(entry.Slice(EntryHeader.CommitEvidenceDigestOffset, Sha256Hash.Size)),
            new Sha256Hash(entry.Slice(EntryHeader.ClaimsDigestOffset, Sha256Hash.Size)));
    }

    /// <summary>
    /// Reads and validates an application write, public or private, without copying it. The
    /// structure of a private write is checked; its sealed part is opened by <c>EntryCipher</c>.
    /// </summary>
    /// <exception cref="EntryFormatException">The bytes are not a well-formed write entry.</exception>
    public static WriteEntryView ReadWrite(ReadOnlySpan<byte> entry)
    {
        var header = ReadHeader(entry);
        if (header.Kind is not (EntryKind.Write or EntryKind.PrivateWrite))
        {
            throw new EntryFormatException($"Expected a write entry, found a {header.Kind} entry.");
        }

        var reader = new FieldReader(entry[EntryHeader.Size..]);
        var collectionId = reader.Take(reader.UInt16(), "collection id");
        CheckText(collectionId, 1, MaxCollectionIdBytes, "collection id");
        var tagCount = reader.Byte();
        if (tagCount > MaxTags)
        {
            throw new EntryFormatException($"An entry carries at most {MaxTags} tags; this one has {tagCount}.");
        }

        var tagStart = reader.Position;
        for (var i = 0; i < tagCount; i++)
        {
            CheckText(reader.Take(reader.Byte(), "tag"), 1, MaxTagBytes, "tag");
        }

        var tagBlock = entry.Slice(EntryHeader.Size + tagStart, reader.Position - tagStart);
        var view = header.Kind == EntryKind.Write
            ? new WriteEntryView(header, collectionId, tagBlock, tagCount, ReadContents(ref reader))
            : ReadSealed(ref reader, header, collectionId, tagBlock, tagCount);
        reader.RequireEnd();
        CheckDistinctTags(view);
        return view;
    }

    private static ReadOnlySpan<byte> ReadContents(scoped ref FieldReader reader)
    {
        var contents = reader.Take(reader.UInt32(), "contents");
        CheckText(contents, 0, MaxContentsBytes, "contents");
        return contents;
    }

    /// <summary>Decodes a public application write into strings.</summary>
    /// <exception cref="EntryFormatException">The bytes are not a well-formed write entry.</exception>
    /// <exception cref="InvalidOperationException">The entry is a private write, which only <c>EntryCipher</c> opens.</exception>
    public static WriteEntry DecodeWrite(ReadOnlySpan<byte> entry)
    {
        var view = ReadWrite(entry);
        var tags = new List<string>(view.TagCount);
        foreach (var tag in view.Tags)
        {
            tags.Add(Encoding.UTF8.GetString(tag));
        }

        return new WriteEntry(view.Header, Encoding.UTF8.GetString(view.CollectionId), tags, Encoding.UTF8.GetString(view.Contents));
    }

    /// <summary>Decodes a signature transaction.</summary>
    /// <exception cref="EntryFormatException">The bytes are not a well-formed signature entry.</exception>
    public static SignatureEntry ReadSignature(ReadOnlySpan<byte> entry)
    {
        var header = RequireKind(entry, EntryKind.Signature);
        var reader = new FieldReader(entry[EntryHeader.Size..]);
        var root = new Sha256Hash(reader.Take(Sha256Hash.Size, "root"));
        var signature = reader.Take(reader.UInt16(), "signature");
        var certificate = reader.Take(reader.UInt16(), "node certificate");
        reader.RequireEnd();
        if (signature.IsEmpty || certificate.IsEmpty)
        {
            throw new EntryFormatException("A signature entry's signature and node certificate are not empty.");
        }

        return new SignatureEntry(header, root, signature.ToArray(), certificate.ToArray());
    }

    private static EntryHeader RequireKind(ReadOnlySpan<byte> entry, EntryKind kind)
    {
        var header = ReadHeader(entry);
        if (header.Kind != kind)
        {
            throw new EntryFormatException($"Expected a {kind} entry, found a {header.Kind} entry.");
        }

        return header;
    }

    internal static void WriteHeader(Span<byte> destination, in EntryHeader header)
    {
        destination[..EntryHeader.Size].Clear();
        destination[0] = EntryHeader.FormatVersion;
        destination[EntryHeader.KindOffset] = (byte)header.Kind;
        BinaryPrimitives.WriteInt64LittleEndian(destination[EntryHeader.ViewOffset..], header.Id.View);
        BinaryPrimitives.WriteInt64LittleEndian(destination[EntryHeader.SeqnoOffset..], header.Id.Seqno);
        header.CommitEvidenceDigest.CopyTo(destination[EntryHeader.CommitEvidenceDigestOffset..]);
        header.ClaimsDigest.CopyTo(destination[EntryHeader.ClaimsDigestOffset..]);
    }

    private static void CheckWriteArguments(in EntryHeader header, IReadOnlyList<string> tags, ReadOnlySpan<byte> contentsUtf8, EntryKind kind = EntryKind.Write)
    {
        if (header.Kind != kind)
        {
            throw new ArgumentException($"A {(kind == EntryKind.Write ? "write" : "private write")} entry needs a header of kind {kind}.", nameof(header));
        }

        if (header.Id == default)
        {
            throw new ArgumentException("A write entry needs a transaction id.", nameof(header));
        }

        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count > MaxTags)
        {
            throw new ArgumentException($"An entry carries at most {MaxTags} tags, not {tags.Count}.", nameof(tags));
        }

        if (tags.Distinct(StringComparer.Ordinal).Count() != tags.Count)
        {
            throw new ArgumentException("An entry's tags must be distinct.", nameof(tags));
        }

        if (contentsUtf8.Length > MaxContentsBytes || !Utf8.IsValid(contentsUtf8))
        {
            throw new ArgumentException($"Contents must be valid UTF-8 of at most {MaxContentsBytes} bytes.", nameof(contentsUtf8));
        }
    }

    private static void CheckText(ReadOnlySpan<byte> text, int minBytes, int maxBytes, string what)
    {
        if (text.Length < minBytes || text.Length > maxBytes)
        {
            throw new EntryFormatException($"An entry's {what} must be {minBytes} to {maxBytes} bytes, not {text.Length}.");
        }

        if (!Utf8.IsValid(text))
        {
            throw new EntryFormatException($"An entry's {what} is not valid UTF-8.");
        }
    }

    private static void CheckDistinctTags(WriteEntryView view)
    {
        // At most 32 tags, so comparing each with those before it is cheaper than hashing.
        var index = 0;
        foreach (var tag in view.Tags)
        {
            var earlier = 0;
            foreach (var other in view.Tags)
            {
                if (earlier++ == index)
                {
                    break;
                }

                if (other.SequenceEqual(tag))
                {
                    throw new EntryFormatException("An entry's tags must be distinct.");
                }
            }

            index++;
        }
    }

    /// <summary>Reads length-prefixed fields, failing with a format error instead of running past the end.</summary>
    private ref struct FieldReader(ReadOnlySpan<byte> body)
    {
        private readonly ReadOnlySpan<byte> _body = body;

        public int Position { get; private set; }

        public byte Byte() => Take(1, "length")[0];

        public ushort UInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, "length"));

        public int UInt32()
        {
            var value = BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "length"));
            return value > int.MaxValue ? throw new EntryFormatException($"A field length of {value} bytes is impossible.") : (int)value;
        }

        public ReadOnlySpan<byte> Take(int length, string what)
        {
            if (length > _body.Length - Position)
            {
                throw new EntryFormatException($"An entry's {what} runs past the end of the entry.");
            }

            var field = _body.Slice(Position, length);
            Position += length;
            return field;
        }

        public readonly void RequireEnd()
        {
            if (Position != _body.Length)
            {
                throw new EntryFormatException($"An entry has {_body.Length - Position} bytes after its last field.");
            }
        }
    }
}
