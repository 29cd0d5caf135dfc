namespace Vellum.Storage.Chunks;

/// <summary>Unsigned LEB128 integers: seven bits per byte, low bits first, the top bit set on every byte but the last.</summary>
internal static class VarInt
{
    /// <summary>The longest encoding of a non-negative <see cref="long"/>.</summary>
    public const int MaxBytes = 9;

    public static int Size(long value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>>= 7;
            size++;
        }

        return size;
    }

    /// <summary>Writes <paramref name="value"/> (not negative) and returns the bytes written.</summary>
    public static int Write(Span<byte> into, long value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            into[i++] = (byte)(value | 0x80);
            value >>>= 7;
        }

        into[i++] = (byte)value;
        return i;
    }

    /// <summary>
    /// Reads a value of at most <paramref name="max"/> in its shortest encoding; false when the
    /// bytes end first, the value is larger or the encoding is not the shortest (so every value has
    /// exactly one encoding, and re-encoding what was read gives the same bytes).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> from, long max, out long value, out int length)
    {
        value = 0;
        length = 0;
        for (var shift = 0; length < from.Length && shift < 63; shift += 7)
        {
            var next = from[length++];
            value |= (long)(next & 0x7F) << shift;
            if ((next & 0x80) == 0)
            {
                return (next != 0 || length == 1) && value >= 0 && value <= max;
            }
        }

        return false;
    }
}
