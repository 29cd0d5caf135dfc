using System.Buffers.Binary;

namespace Vellum.Storage.Chunks;

/// <summary>
/// The frame around every record of a chunk file: <c>u32 crc32c ‖ u32 payload length ‖ u8 type ‖
/// u8[3] zero ‖ payload</c>. The CRC covers everything after itself, so a torn or flipped byte
/// anywhere in the record is detected before the payload is trusted.
/// </summary>
internal static class RecordFrame
{
    public const int HeaderSize = 12;

    /// <summary>The largest payload a record may carry; a larger length can only be damage.</summary>
    public const int MaxPayloadBytes = 1 << 30;

    public static int FramedSize(int payloadLength) => HeaderSize + payloadLength;

    /// <summary>Writes the header for a payload already placed at <c>record[HeaderSize..]</c>.</summary>
    public static void Seal(Span<byte> record, RecordType type)
    {
        var payloadLength = record.Length - HeaderSize;
        BinaryPrimitives.WriteInt32LittleEndian(record[4..], payloadLength);
        record[8] = (byte)type;
        record.Slice(9, 3).Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(record, Crc32C.Compute(record[4..]));
    }

    /// <summary>Reads a frame header; false when it cannot be one (bad length, type or padding).</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out RecordType type, out int payloadLength)
    {
        payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        type = (RecordType)header[8];
        return payloadLength is >= 0 and <= MaxPayloadBytes
            && type is >= RecordType.Entry and <= RecordType.ChunkTrailer
            && header[9] == 0 && header[10] == 0 && header[11] == 0;
    }

    /// <summary>True when the CRC in the header matches the rest of the record.</summary>
    public static bool HasValidChecksum(ReadOnlySpan<byte> record) =>
        BinaryPrimitives.ReadUInt32LittleEndian(record) == Crc32C.Compute(record[4..]);
}
