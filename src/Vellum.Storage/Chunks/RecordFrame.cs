using System.Buffers.Binary;

namespace Vellum.Storage.Chunks;

/// <summary>
/// The frame around every record of a chunk file: <c>u32 crc32c ‖ u32 payload length ‖ u8 type ‖
/// u24 flush batch ‖ payload</c>. The CRC covers everything after itself, so a torn or flipped
/// byte anywhere in the record is detected before the payload is trusted.
/// </summary>
/// <remarks>
/// The batch number says which flush wrote the record. A batch is written only after the
/// previous batch's fsync returned, so a crash can tear only the last batch: damage followed by
/// a sound record two or more batches later is corruption of durable data, not a torn write.
/// Numbers are 24 bits and wrap; they are only compared within one chunk, which spans far fewer
/// than 2²³ batches.
/// </remarks>
internal static class RecordFrame
{
    public const int HeaderSize = 12;

    /// <summary>The largest payload a record may carry; a larger length can only be damage.</summary>
    public const int MaxPayloadBytes = 1 << 30;

    private const int BatchMask = 0xFF_FFFF;

    public static int FramedSize(int payloadLength) => HeaderSize + payloadLength;

    /// <summary>Writes the header for a payload already placed at <c>record[HeaderSize..]</c>.</summary>
    public static void Seal(Span<byte> record, RecordType type, long batch)
    {
        var payloadLength = record.Length - HeaderSize;
        BinaryPrimitives.WriteInt32LittleEndian(record[4..], payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)type | ((uint)(batch & BatchMask) << 8));
        BinaryPrimitives.WriteUInt32LittleEndian(record, Crc32C.Compute(record[4..]));
    }

    /// <summary>Reads a frame header; false when it cannot be one (bad length or type).</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out RecordType type, out int payloadLength, out int batch)
    {
        payloadLength = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        var typeAndBatch = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        type = (RecordType)(typeAndBatch & 0xFF);
        batch = (int)(typeAndBatch >> 8);
        return payloadLength is >= 0 and <= MaxPayloadBytes
            && type is >= RecordType.Entry and <= RecordType.Dictionary;
    }

    /// <summary>True when the CRC in the header matches the rest of the record.</summary>
    public static bool HasValidChecksum(ReadOnlySpan<byte> record) =>
        BinaryPrimitives.ReadUInt32LittleEndian(record) == Crc32C.Compute(record[4..]);

    /// <summary>
    /// The smallest batch counter, not below <paramref name="next"/>, whose records count as at
    /// least two batches after <paramref name="stamped"/>: what a chunk continued after a record
    /// stamped <paramref name="stamped"/> must use, so that batch numbers keep increasing within it.
    /// </summary>
    public static long NextBatchAfter(int stamped, long next)
    {
        var current = (int)(next & BatchMask);
        return BatchesAfter(stamped, current) >= 2 ? next : next + ((stamped + 2 - current) & BatchMask);
    }

    /// <summary>How many batches <paramref name="later"/> is after <paramref name="earlier"/>, modulo 2²⁴; negative when it is not after.</summary>
    public static int BatchesAfter(int earlier, int later)
    {
        var distance = (later - earlier) & BatchMask;
        return distance < (1 << 23) ? distance : -1;
    }
}
