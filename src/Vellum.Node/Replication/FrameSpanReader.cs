using System.Buffers.Binary;
using System.Text;
using Vellum.Consensus;

namespace Vellum.Node.Replication;

/// <summary>
/// Reads little-endian fields from one frame, checking every read against the bytes left, so a
/// lying length field ends in <see cref="MalformedFrameException"/> and never in an out-of-range
/// read or an allocation larger than the frame.
/// </summary>
internal ref struct FrameSpanReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _source;
    private int _position;

    public FrameSpanReader(ReadOnlySpan<byte> source, int start)
    {
        _source = source;
        _position = start;
    }

    /// <summary>The offset of the next unread byte in the frame.</summary>
    public readonly int Position => _position;

    /// <summary>How many bytes are left unread.</summary>
    public readonly int Remaining => _source.Length - _position;

    public byte ReadByte(string field) => Take(1, field)[0];

    public bool ReadBoolean(string field) => ReadByte(field) switch
    {
        0 => false,
        1 => true,
        var other => throw new MalformedFrameException($"The {field} flag is {other}, not 0 or 1."),
    };

    public int ReadUInt16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

    /// <summary>Reads an unsigned 32-bit count or length; one above <see cref="int.MaxValue"/> cannot fit in a frame, so it is malformed.</summary>
    public int ReadUInt32(string field)
    {
        var value = BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));
        return value <= int.MaxValue ? (int)value : throw new MalformedFrameException($"The {field} {value} is larger than any frame.");
    }

    /// <summary>Reads a term or index, which is never negative.</summary>
    public long ReadNonNegativeInt64(string field)
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));
        return value >= 0 ? value : throw new MalformedFrameException($"The {field} {value} is negative.");
    }

    /// <summary>
    /// Reads a count of items each at least <paramref name="minimumItemBytes"/> long, refusing one
    /// the rest of the frame could not hold, so a list is never sized from a bogus count.
    /// </summary>
    public int ReadCount(int count, int minimumItemBytes, string field) =>
        (long)count * minimumItemBytes <= Remaining
            ? count
            : throw new MalformedFrameException($"The frame claims {count} {field}, more than its remaining {Remaining} bytes can hold.");

    public NodeId ReadNodeId(string field)
    {
        var length = ReadByte(field);
        if (length == 0)
        {
            throw new MalformedFrameException($"The {field} is empty.");
        }

        var bytes = Take(length, field);
        string value;
        try
        {
            value = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new MalformedFrameException($"The {field} is not valid UTF-8.", e);
        }

        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw new MalformedFrameException($"The {field} contains whitespace or a control character.");
            }
        }

        return new NodeId(value);
    }

    /// <summary>Skips <paramref name="length"/> bytes and returns their offset, for payloads sliced out of the frame.</summary>
    public int Skip(int length, string field)
    {
        var start = _position;
        Take(length, field);
        return start;
    }

    public readonly void RequireEnd(string what)
    {
        if (Remaining != 0)
        {
            throw new MalformedFrameException($"The {what} is followed by {Remaining} unexpected bytes.");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining)
        {
            throw new MalformedFrameException($"The frame ends inside the {field}: it needs {count} bytes and has {Remaining}.");
        }

        var span = _source.Slice(_position, count);
        _position += count;
        return span;
    }
}
