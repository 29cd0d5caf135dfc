using System.Buffers.Binary;
using System.Numerics;

namespace Vellum.Storage;

/// <summary>
/// CRC-32C (Castagnoli), the per-record checksum of the ledger files. <see cref="BitOperations.Crc32C(uint, ulong)"/>
/// uses the CPU's CRC instruction where there is one, so checksumming costs far less than hashing.
/// </summary>
internal static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final xor 0xFFFFFFFF, as in iSCSI).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Extends a CRC computed over earlier bytes with <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var value in data)
        {
            state = BitOperations.Crc32C(state, value);
        }

        return ~state;
    }
}
