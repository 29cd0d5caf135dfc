using System.Buffers.Binary;
using System.Text;
using Vellum.Core.Entries;

namespace Vellum.Storage.Indexing;

/// <summary>What an index lists entries by: a collection, a tag within a collection, or signatures.</summary>
public enum IndexKeyKind : byte
{
    /// <summary>Every write to one collection.</summary>
    Collection = 1,

    /// <summary>Every write to one collection carrying one tag.</summary>
    Tag = 2,

    /// <summary>Every signature transaction.</summary>
    Signature = 3,
}

/// <summary>
/// An index key in its stored form: <c>u8 kind</c>, then for a collection its UTF-8 id, for a
/// tag <c>u16 collection length ‖ collection ‖ tag</c>, for signatures nothing.
/// </summary>
public sealed class IndexKey : IEquatable<IndexKey>
{
    private IndexKey(byte[] encoded) => Encoded = encoded;

    /// <summary>The key of signature transactions.</summary>
    public static IndexKey Signatures { get; } = new([(byte)IndexKeyKind.Signature]);

    /// <summary>The key's stored bytes.</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    /// <summary>What the key lists.</summary>
    public IndexKeyKind Kind => (IndexKeyKind)Encoded.Span[0];

    /// <summary>The key of a collection.</summary>
    /// <exception cref="ArgumentException">The collection id could not be stored in an entry (empty, too long, not valid Unicode).</exception>
    public static IndexKey Collection(string collectionId) => new(EncodeCollection(EntryText.CollectionId(collectionId)));

    /// <summary>The key of a tag within a collection.</summary>
    /// <exception cref="ArgumentException">The collection id or tag could not be stored in an entry.</exception>
    public static IndexKey Tag(string collectionId, string tag) => new(EncodeTag(EntryText.CollectionId(collectionId), EntryText.Tag(tag)));

    /// <summary>The collection id of a collection or tag key.</summary>
    public string CollectionId => Kind switch
    {
        IndexKeyKind.Collection => Encoding.UTF8.GetString(Encoded.Span[1..]),
        IndexKeyKind.Tag => Encoding.UTF8.GetString(Encoded.Span.Slice(3, BinaryPrimitives.ReadUInt16LittleEndian(Encoded.Span[1..]))),
        _ => throw new InvalidOperationException("Signature keys have no collection."),
    };

    /// <summary>The tag of a tag key.</summary>
    public string TagName => Kind == IndexKeyKind.Tag
        ? Encoding.UTF8.GetString(Encoded.Span[(3 + BinaryPrimitives.ReadUInt16LittleEndian(Encoded.Span[1..]))..])
        : throw new InvalidOperationException("Only tag keys have a tag.");

    /// <summary>Rebuilds a key from its stored bytes; null when they are not a key.</summary>
    public static IndexKey? FromEncoded(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            return null;
        }

        var valid = (IndexKeyKind)encoded[0] switch
        {
            IndexKeyKind.Signature => encoded.Length == 1,
            IndexKeyKind.Collection => encoded.Length > 1,
            IndexKeyKind.Tag => encoded.Length > 3 && encoded.Length > 3 + BinaryPrimitives.ReadUInt16LittleEndian(encoded[1..]),
            _ => false,
        };
        return valid ? new IndexKey(encoded.ToArray()) : null;
    }

    internal static byte[] EncodeCollection(ReadOnlySpan<byte> collectionId)
    {
        var key = new byte[1 + collectionId.Length];
        key[0] = (byte)IndexKeyKind.Collection;
        collectionId.CopyTo(key.AsSpan(1));
        return key;
    }

    internal static byte[] EncodeTag(ReadOnlySpan<byte> collectionId, ReadOnlySpan<byte> tag)
    {
        var key = new byte[3 + collectionId.Length + tag.Length];
        key[0] = (byte)IndexKeyKind.Tag;
        BinaryPrimitives.WriteUInt16LittleEndian(key.AsSpan(1), (ushort)collectionId.Length);
        collectionId.CopyTo(key.AsSpan(3));
        tag.CopyTo(key.AsSpan(3 + collectionId.Length));
        return key;
    }

    /// <inheritdoc />
    public bool Equals(IndexKey? other) => other is not null && Encoded.Span.SequenceEqual(other.Encoded.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IndexKey);

    /// <inheritdoc />
    public override int GetHashCode() => ByteKeyComparer.Instance.GetHashCode(Encoded.Span);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        IndexKeyKind.Collection => $"collection {CollectionId}",
        IndexKeyKind.Tag => $"tag {TagName} in collection {CollectionId}",
        _ => "signatures",
    };
}
