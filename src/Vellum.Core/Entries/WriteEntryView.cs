namespace Vellum.Core.Entries;

/// <summary>
/// A validated application write seen in place, without copying: what storage needs on its hot
/// path to index an entry. Obtain one from <see cref="EntryCodec.ReadWrite"/>.
/// </summary>
public readonly ref struct WriteEntryView
{
    private readonly ReadOnlySpan<byte> _contents;

    internal WriteEntryView(EntryHeader header, ReadOnlySpan<byte> collectionId, ReadOnlySpan<byte> tagBlock, int tagCount, ReadOnlySpan<byte> contents, SealedPart sealedPart = default)
    {
        Header = header;
        CollectionId = collectionId;
        TagBlock = tagBlock;
        TagCount = tagCount;
        _contents = contents;
        Sealed = sealedPart;
    }

    /// <summary>The entry's header.</summary>
    public EntryHeader Header { get; }

    /// <summary>The collection id as UTF-8.</summary>
    public ReadOnlySpan<byte> CollectionId { get; }

    /// <summary>The number of tags.</summary>
    public int TagCount { get; }

    /// <summary>True for a private write, whose contents are sealed.</summary>
    public bool IsPrivate => Header.Kind == EntryKind.PrivateWrite;

    /// <summary>The contents as UTF-8.</summary>
    /// <exception cref="InvalidOperationException">The entry is a private write: its contents are sealed.</exception>
    public ReadOnlySpan<byte> Contents => IsPrivate
        ? throw new InvalidOperationException($"Entry {Header.Id} is a private write; its contents are sealed and only a ledger secret opens them.")
        : _contents;

    /// <summary>The sealed part of a private write; empty for a public write.</summary>
    internal SealedPart Sealed { get; }

    private ReadOnlySpan<byte> TagBlock { get; }

    /// <summary>Enumerates the tags as UTF-8, in stored order.</summary>
    public TagEnumerator Tags => new(TagBlock);

    /// <summary>Walks the length-prefixed tags of a validated write entry.</summary>
    public ref struct TagEnumerator
    {
        private ReadOnlySpan<byte> _remaining;

        internal TagEnumerator(ReadOnlySpan<byte> block)
        {
            _remaining = block;
            Current = default;
        }

        /// <summary>The current tag as UTF-8.</summary>
        public ReadOnlySpan<byte> Current { get; private set; }

        /// <summary>Returns this enumerator, so that <c>foreach</c> works.</summary>
        public readonly TagEnumerator GetEnumerator() => this;

        /// <summary>Moves to the next tag.</summary>
        public bool MoveNext()
        {
            if (_remaining.IsEmpty)
            {
                return false;
            }

            var length = _remaining[0];
            Current = _remaining.Slice(1, length);
            _remaining = _remaining[(1 + length)..];
            return true;
        }
    }
}
