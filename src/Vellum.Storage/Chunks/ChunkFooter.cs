using System.Buffers.Binary;
using Vellum.Core;
using Vellum.Storage.Indexing;

namespace Vellum.Storage.Chunks;

/// <summary>Where a closed chunk's index records are, as its trailer states.</summary>
internal readonly record struct ChunkTrailer(long FirstSeqno, long LastSeqno, long EntryOffsetsRecord, long KeyDirectoryRecord, long PostingsRecord)
{
    public const int PayloadSize = 40;
    public const int RecordSize = RecordFrame.HeaderSize + PayloadSize;
}

/// <summary>
/// The records that close a chunk, after its last entry: the entry offsets table, the key
/// directory, the postings and finally the fixed-size trailer, which a reader finds at the end of
/// the file. Each is an ordinary checksummed record.
/// </summary>
internal static class ChunkFooter
{
    public static byte[] Encode(long firstSeqno, long lastSeqno, IReadOnlyList<long> entryOffsets, ChunkPostings postings, long footerOffset, long batch)
    {
        Invariant.Check(entryOffsets.Count == lastSeqno - firstSeqno + 1, "a closed chunk has one offset per entry");
        var keys = postings.InKeyOrder().ToList();
        var directoryBytes = 4 + keys.Sum(k => 2 + k.Key.Length + 8);
        var postingBytes = 4 * keys.Sum(k => k.Deltas.Count);
        var offsetsBytes = 8 * entryOffsets.Count;
        var footer = new byte[RecordFrame.FramedSize(offsetsBytes) + RecordFrame.FramedSize(directoryBytes) + RecordFrame.FramedSize(postingBytes) + ChunkTrailer.RecordSize];

        var offsetsRecord = footer.AsSpan(0, RecordFrame.FramedSize(offsetsBytes));
        for (var i = 0; i < entryOffsets.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(offsetsRecord[(RecordFrame.HeaderSize + (8 * i))..], entryOffsets[i]);
        }

        RecordFrame.Seal(offsetsRecord, RecordType.EntryOffsets, batch);

        var directoryStart = offsetsRecord.Length;
        var directoryRecord = footer.AsSpan(directoryStart, RecordFrame.FramedSize(directoryBytes));
        var postingsStart = directoryStart + directoryRecord.Length;
        var postingsRecord = footer.AsSpan(postingsStart, RecordFrame.FramedSize(postingBytes));
        var directory = directoryRecord[RecordFrame.HeaderSize..];
        BinaryPrimitives.WriteInt32LittleEndian(directory, keys.Count);
        directory = directory[4..];
        var postingIndex = 0;
        foreach (var (key, deltas) in keys)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(directory, (ushort)key.Length);
            key.CopyTo(directory[2..]);
            BinaryPrimitives.WriteInt32LittleEndian(directory[(2 + key.Length)..], postingIndex);
            BinaryPrimitives.WriteInt32LittleEndian(directory[(6 + key.Length)..], deltas.Count);
            directory = directory[(10 + key.Length)..];
            foreach (var delta in deltas)
            {
                BinaryPrimitives.WriteInt32LittleEndian(postingsRecord[(RecordFrame.HeaderSize + (4 * postingIndex++))..], delta);
            }
        }

        RecordFrame.Seal(directoryRecord, RecordType.KeyDirectory, batch);
        RecordFrame.Seal(postingsRecord, RecordType.Postings, batch);

        var trailerRecord = footer.AsSpan(postingsStart + postingsRecord.Length);
        var trailer = trailerRecord[RecordFrame.HeaderSize..];
        BinaryPrimitives.WriteInt64LittleEndian(trailer, firstSeqno);
        BinaryPrimitives.WriteInt64LittleEndian(trailer[8..], lastSeqno);
        BinaryPrimitives.WriteInt64LittleEndian(trailer[16..], footerOffset);
        BinaryPrimitives.WriteInt64LittleEndian(trailer[24..], footerOffset + directoryStart);
        BinaryPrimitives.WriteInt64LittleEndian(trailer[32..], footerOffset + postingsStart);
        RecordFrame.Seal(trailerRecord, RecordType.ChunkTrailer, batch);
        return footer;
    }

    public static ChunkTrailer DecodeTrailer(ReadOnlySpan<byte> payload) => new(
        BinaryPrimitives.ReadInt64LittleEndian(payload),
        BinaryPrimitives.ReadInt64LittleEndian(payload[8..]),
        BinaryPrimitives.ReadInt64LittleEndian(payload[16..]),
        BinaryPrimitives.ReadInt64LittleEndian(payload[24..]),
        BinaryPrimitives.ReadInt64LittleEndian(payload[32..]));

    /// <summary>Decodes a key directory; returns null when its structure is inconsistent.</summary>
    public static Dictionary<byte[], (int Start, int Count)>? DecodeKeyDirectory(ReadOnlySpan<byte> payload, int totalPostings)
    {
        if (payload.Length < 4)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(payload);
        var directory = new Dictionary<byte[], (int, int)>(ByteKeyComparer.Instance);
        var rest = payload[4..];
        var expectedStart = 0;
        for (var i = 0; i < count; i++)
        {
            if (rest.Length < 2 || rest.Length < 10 + BinaryPrimitives.ReadUInt16LittleEndian(rest))
            {
                return null;
            }

            var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            var key = rest.Slice(2, keyLength);
            var start = BinaryPrimitives.ReadInt32LittleEndian(rest[(2 + keyLength)..]);
            var postings = BinaryPrimitives.ReadInt32LittleEndian(rest[(6 + keyLength)..]);
            if (IndexKey.FromEncoded(key) is null || start != expectedStart || postings < 1 || !directory.TryAdd(key.ToArray(), (start, postings)))
            {
                return null;
            }

            expectedStart += postings;
            rest = rest[(10 + keyLength)..];
        }

        return rest.IsEmpty && expectedStart == totalPostings ? directory : null;
    }
}
