using System.Buffers.Binary;
using Vellum.Core.Entries;

namespace Vellum.Storage.Indexing;

/// <summary>
/// The index keys of one validated entry, in their stored form, without allocating: a signature
/// has the signature key; a write has its collection's key and one key per tag.
/// </summary>
internal ref struct EntryIndexKeys
{
    /// <summary>Scratch space large enough for any key.</summary>
    public const int MaxKeyBytes = 3 + EntryCodec.MaxCollectionIdBytes + EntryCodec.MaxTagBytes;

    [ThreadStatic]
    private static byte[]? _threadScratch;

    private readonly Span<byte> _scratch;
    private readonly ReadOnlySpan<byte> _collectionId;
    private readonly bool _isSignature;
    private WriteEntryView.TagEnumerator _tags;
    private int _position;

    public EntryIndexKeys(ReadOnlySpan<byte> entry, EntryKind kind, Span<byte> scratch)
    {
        _scratch = scratch;
        _isSignature = kind == EntryKind.Signature;
        if (!_isSignature)
        {
            var write = EntryCodec.ReadWrite(entry);
            _collectionId = write.CollectionId;
            _tags = write.Tags;
        }
    }

    /// <summary>
    /// This thread's scratch space for keys, reused: a fresh <see cref="MaxKeyBytes"/> on the stack
    /// is cleared on every call, which cost more than indexing a small entry (a quarter of an audit).
    /// </summary>
    public static Span<byte> ThreadScratch => _threadScratch ??= new byte[MaxKeyBytes];

    public ReadOnlySpan<byte> Current { get; private set; }

    public readonly EntryIndexKeys GetEnumerator() => this;

    public bool MoveNext()
    {
        var position = _position++;
        if (_isSignature)
        {
            Current = position == 0 ? IndexKey.Signatures.Encoded.Span : default;
            return position == 0;
        }

        if (position == 0)
        {
            _scratch[0] = (byte)IndexKeyKind.Collection;
            _collectionId.CopyTo(_scratch[1..]);
            Current = _scratch[..(1 + _collectionId.Length)];
            return true;
        }

        if (!_tags.MoveNext())
        {
            return false;
        }

        var tag = _tags.Current;
        _scratch[0] = (byte)IndexKeyKind.Tag;
        BinaryPrimitives.WriteUInt16LittleEndian(_scratch[1..], (ushort)_collectionId.Length);
        _collectionId.CopyTo(_scratch[3..]);
        tag.CopyTo(_scratch[(3 + _collectionId.Length)..]);
        Current = _scratch[..(3 + _collectionId.Length + tag.Length)];
        return true;
    }

    /// <summary>True when the validated <paramref name="entry"/> is listed under <paramref name="key"/>.</summary>
    public static bool Contains(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> key)
    {
        foreach (var candidate in new EntryIndexKeys(entry, EntryCodec.ReadHeader(entry).Kind, ThreadScratch))
        {
            if (candidate.SequenceEqual(key))
            {
                return true;
            }
        }

        return false;
    }
}
