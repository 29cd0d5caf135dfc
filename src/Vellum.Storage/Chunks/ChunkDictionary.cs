using Vellum.Core;
using Vellum.Storage.Indexing;

namespace Vellum.Storage.Chunks;

/// <summary>
/// The byte strings a compact chunk's entries repeat (writes' collection ids and signatures' node
/// certificates), numbered from 0 in the order of their first use in the chunk. An entry stores
/// such a string inline only at its first use and its number after that. A closed chunk lists
/// them in its footer; an open chunk's writer keeps them, and a scan of a chunk learns them from
/// the strings stored inline.
/// </summary>
/// <remarks>
/// Numbering (<see cref="Add"/>, <see cref="NumberOf"/>, <see cref="TruncateAfter"/>) is done by
/// one thread at a time (the ledger's lock). Looking a string up by number is safe from other threads
/// at the same time, for numbers given out before the lookup began: the count is published after
/// the array that holds the id.
/// </remarks>
internal sealed class ChunkDictionary
{
    private readonly Dictionary<byte[], int> _numbers = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _numbersBySpan;
    private byte[][] _strings = new byte[4][];
    private long[] _firstSeqnos = new long[4];
    private int _count;

    public ChunkDictionary() => _numbersBySpan = _numbers.GetAlternateLookup<ReadOnlySpan<byte>>();

    public int Count => Volatile.Read(ref _count);

    /// <summary>The strings in number order.</summary>
    public IEnumerable<byte[]> Strings => _strings.Take(Count);

    /// <summary>The string numbered <paramref name="number"/>, or null when no string has that number (now).</summary>
    /// <remarks>
    /// Reads the count once, then the array: a reader racing a truncation gets null or a string
    /// that was numbered so, and the ledger retries a read that overlapped a truncation.
    /// </remarks>
    public byte[]? TryGet(int number) => (uint)number < (uint)Count ? Volatile.Read(ref _strings)[number] : null;

    /// <summary>The number of <paramref name="text"/>, or -1 when the chunk has not used it yet.</summary>
    public int NumberOf(ReadOnlySpan<byte> text) => _numbersBySpan.TryGetValue(text, out var number) ? number : -1;

    /// <summary>Gives <paramref name="text"/>, first used by entry <paramref name="seqno"/>, the next number.</summary>
    public void Add(ReadOnlySpan<byte> text, long seqno)
    {
        Invariant.Check(_count == 0 || _firstSeqnos[_count - 1] <= seqno, "strings are added in the order of their first use");
        if (_count == _strings.Length)
        {
            var strings = new byte[_count * 2][];
            _strings.AsSpan().CopyTo(strings);
            Array.Resize(ref _firstSeqnos, _count * 2);
            Volatile.Write(ref _strings, strings);
        }

        var copy = text.ToArray();
        _numbers.Add(copy, _count);
        _strings[_count] = copy;
        _firstSeqnos[_count] = seqno;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Forgets the strings first used after <paramref name="seqno"/>.</summary>
    public void TruncateAfter(long seqno)
    {
        while (_count > 0 && _firstSeqnos[_count - 1] > seqno)
        {
            _numbers.Remove(_strings[_count - 1]);
            Volatile.Write(ref _count, _count - 1);
        }
    }
}
