using System.Buffers.Binary;
using Vellum.Core;
using Vellum.Storage.Indexing;

namespace Vellum.Storage.Chunks;

/// <summary>Where a closed chunk's index records are, as its trailer states.</summary>
/// <remarks>Chunk format 1 has no dictionary record; its trailer is 40 bytes, format 2's 48.</remarks>
internal readonly record struct ChunkTrailer(long FirstSeqno, long LastSeqno, long EntryOffsetsRecord, long KeyDirectoryRecord, long PostingsRecord, long DictionaryRecord)
{
    public static int PayloadSize(uint chunkVersion) => chunkVersion == 1 ? 40 : 48;

    public static int RecordSize(uint chunkVersion) => RecordFrame.HeaderSize + PayloadSize(chunkVersion);
}

/// <summary>
/// The records that close a chunk, after its last entry: the entry offsets table, the key
/// directory, the postings, in format 2 the chunk's dictionary, and finally the fixed-size trailer,
/// which a reader finds at the end of the file. Each is an ordinary checksummed record.
/// </summary>
internal static class ChunkFooter
{
    /// <summary>The size of an entry's slot in the offsets table: an <c>i64</c> in chunk format 1, a <c>u32</c> in format 2.</summary>
    public static int OffsetSlotBytes(uint chunkVersion) => chunkVersion == 1 ? 8 : 4;

    /// <summary>The footer of a chunk whose entries <paramref name="codec"/> stored, to be written at <paramref name="footerOffset"/>.</summary>
    public static byte[] Encode(EntryRecordCodec codec, long firstSeqno, long lastSeqno, IReadOnlyList<long> entryOffsets, ChunkPostings postings, long footerOffset, long batch)
    {
        Invariant.Check(entryOffsets.Count == lastSeqno - firstSeqno + 1, "a closed chunk has one offset per entry");
        var version = codec.ChunkVersion;
        var slot = OffsetSlotBytes(version);
        var keys = postings.InKeyOrder().ToList();
        var directoryBytes = 4 + keys.Sum(k => 2 + k.Key.Length + 8);
        var postingBytes = keys.Sum(k => PostingsSize(version, k.Deltas));
        var offsetsBytes = slot * entryOffsets.Count;
        var strings = codec.Dictionary?.Strings.ToList();
        var dictionaryRecordBytes = strings is null ? 0 : RecordFrame.FramedSize(4 + strings.Sum(text => 2 + text.Length));
        var footer = new byte[RecordFrame.FramedSize(offsetsBytes) + RecordFrame.FramedSize(directoryBytes) + RecordFrame.FramedSize(postingBytes) + dictionaryRecordBytes + ChunkTrailer.RecordSize(version)];

        var offsetsRecord = footer.AsSpan(0, RecordFrame.FramedSize(offsetsBytes));
        for (var i = 0; i < entryOffsets.Count; i++)
        {
            var slotBytes = offsetsRecord[(RecordFrame.HeaderSize + (slot * i))..];
            if (slot == 8)
            {
                BinaryPrimitives.WriteInt64LittleEndian(slotBytes, entryOffsets[i]);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(slotBytes, checked((uint)entryOffsets[i]));
            }
        }

        RecordFrame.Seal(offsetsRecord, RecordType.EntryOffsets, batch);

        var directoryStart = offsetsRecord.Length;
        var directoryRecord = footer.AsSpan(directoryStart, RecordFrame.FramedSize(directoryBytes));
        var postingsStart = directoryStart + directoryRecord.Length;
        var postingsRecord = footer.AsSpan(postingsStart, RecordFrame.FramedSize(postingBytes));
        var directory = directoryRecord[RecordFrame.HeaderSize..];
        BinaryPrimitives.WriteInt32LittleEndian(directory, keys.Count);
        directory = directory[4..];
        // Format 1 gives each key its first posting's index and its count of 4-byte postings;
        // format 2 its first byte and the byte length of its varint postings.
        var postingsPayload = postingsRecord[RecordFrame.HeaderSize..];
        var at = 0;
        foreach (var (key, deltas) in keys)
        {
            var size = PostingsSize(version, deltas);
            BinaryPrimitives.WriteUInt16LittleEndian(directory, (ushort)key.Length);
            key.CopyTo(directory[2..]);
            BinaryPrimitives.WriteInt32LittleEndian(directory[(2 + key.Length)..], version == 1 ? at / 4 : at);
            BinaryPrimitives.WriteInt32LittleEndian(directory[(6 + key.Length)..], version == 1 ? deltas.Count : size);
            directory = directory[(10 + key.Length)..];
            var previous = -1;
            foreach (var delta in deltas)
            {
                if (version == 1)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(postingsPayload[at..], delta);
                    at += 4;
                }
                else
                {
                    at += VarInt.Write(postingsPayload[at..], delta - previous - 1);
                    previous = delta;
                }
            }
        }

        RecordFrame.Seal(directoryRecord, RecordType.KeyDirectory, batch);
        RecordFrame.Seal(postingsRecord, RecordType.Postings, batch);

        var dictionaryStart = postingsStart + postingsRecord.Length;
        if (strings is not null)
        {
            var dictionaryRecord = footer.AsSpan(dictionaryStart, dictionaryRecordBytes);
            var table = dictionaryRecord[RecordFrame.HeaderSize..];
            BinaryPrimitives.WriteInt32LittleEndian(table, strings.Count);
            table = table[4..];
            foreach (var text in strings)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(table, (ushort)text.Length);
                text.CopyTo(table[2..]);
                table = table[(2 + text.Length)..];
            }

            RecordFrame.Seal(dictionaryRecord, RecordType.Dictionary, batch);
        }

        var trailerRecord = footer.AsSpan(dictionaryStart + dictionaryRecordBytes);
        var trailer = trailerRecord[RecordFrame.HeaderSize..];
        BinaryPrimitives.WriteInt64LittleEndian(trailer, firstSeqno);
        BinaryPrimitives.WriteInt64LittleEndian(trailer[8..], lastSeqno);
        BinaryPrimitives.WriteInt64LittleEndian(trailer[16..], footerOffset);
        BinaryPrimitives.WriteInt64LittleEndian(trailer[24..], footerOffset + directoryStart);
        BinaryPrimitives.WriteInt64LittleEndian(trailer[32..], footerOffset + postingsStart);
        if (strings is not null)
        {
            BinaryPrimitives.WriteInt64LittleEndian(trailer[40..], footerOffset + dictionaryStart);
        }

        RecordFrame.Seal(trailerRecord, RecordType.ChunkTrailer, batch);
        return footer;
    }

    /// <summary>
    /// Decodes a key's postings, <paramref name="bytes"/> as <see cref="Encode"/> wrote them, into
    /// seqno offsets from the chunk's first seqno; null when they are not strictly ascending
    /// offsets below <paramref name="entryCount"/> or do not fill the bytes exactly.
    /// </summary>
    public static List<int>? DecodePostings(uint chunkVersion, ReadOnlySpan<byte> bytes, long entryCount)
    {
        var deltas = new List<int>();
        var previous = -1L;
        while (!bytes.IsEmpty)
        {
            long next;
            if (chunkVersion == 1)
            {
                if (bytes.Length < 4)
                {
                    return null;
                }

                next = BinaryPrimitives.ReadInt32LittleEndian(bytes);
                bytes = bytes[4..];
            }
            else
            {
                if (!VarInt.TryRead(bytes, entryCount, out var gap, out var length))
                {
                    return null;
                }

                next = previous + 1 + gap;
                bytes = bytes[length..];
            }

            if (next <= previous || next >= entryCount)
            {
                return null;
            }

            deltas.Add((int)next);
            previous = next;
        }

        return deltas;
    }

    /// <summary>Decodes a trailer; in format 1, which has no dictionary record, <see cref="ChunkTrailer.DictionaryRecord"/> is the trailer's own offset.</summary>
    public static ChunkTrailer DecodeTrailer(ReadOnlySpan<byte> payload, long trailerOffset) => new(
        BinaryPrimitives.ReadInt64LittleEndian(payload),
        BinaryPrimitives.ReadInt64LittleEndian(payload[8..]),
        BinaryPrimitives.ReadInt64LittleEndian(payload[16..]),
        BinaryPrimitives.ReadInt64LittleEndian(payload[24..]),
        BinaryPrimitives.ReadInt64LittleEndian(payload[32..]),
        payload.Length >= 48 ? BinaryPrimitives.ReadInt64LittleEndian(payload[40..]) : trailerOffset);

    /// <summary>Decodes a chunk's dictionary; returns null when its structure is inconsistent.</summary>
    public static ChunkDictionary? DecodeDictionary(ReadOnlySpan<byte> payload, long firstSeqno)
    {
        if (payload.Length < 4)
        {
            return null;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (count < 0)
        {
            return null;
        }

        var dictionary = new ChunkDictionary();
        var rest = payload[4..];
        for (var i = 0; i < count; i++)
        {
            if (rest.Length < 2 || rest.Length < 2 + BinaryPrimitives.ReadUInt16LittleEndian(rest))
            {
                return null;
            }

            var text = rest.Slice(2, BinaryPrimitives.ReadUInt16LittleEndian(rest));
            if (text.IsEmpty || dictionary.NumberOf(text) >= 0)
            {
                return null;
            }

            dictionary.Add(text, firstSeqno);
            rest = rest[(2 + text.Length)..];
        }

        return rest.IsEmpty ? dictionary : null;
    }

    /// <summary>The bytes a key's postings take: 4 per posting in format 1; in format 2 a varint per posting, of the gap after the one before.</summary>
    private static int PostingsSize(uint chunkVersion, List<int> deltas)
    {
        if (chunkVersion == 1)
        {
            return 4 * deltas.Count;
        }

        var size = 0;
        var previous = -1;
        foreach (var delta in deltas)
        {
            size += VarInt.Size(delta - previous - 1);
            previous = delta;
        }

        return size;
    }

    /// <summary>
    /// Decodes a key directory into where each key's postings lie in the Postings payload, as
    /// (first byte, byte length); returns null when its structure is inconsistent: the keys'
    /// postings must follow one another and fill <paramref name="postingBytes"/> exactly.
    /// </summary>
    public static Dictionary<byte[], (int Start, int Length)>? DecodeKeyDirectory(uint chunkVersion, ReadOnlySpan<byte> payload, int postingBytes)
    {
        if (payload.Length < 4)
        {
            return null;
        }

        // Format 1 counts postings of 4 bytes; format 2 counts bytes.
        var unit = chunkVersion == 1 ? 4 : 1;
        var count = BinaryPrimitives.ReadInt32LittleEndian(payload);
        var directory = new Dictionary<byte[], (int, int)>(ByteKeyComparer.Instance);
        var rest = payload[4..];
        var expectedStart = 0L;
        for (var i = 0; i < count; i++)
        {
            if (rest.Length < 2 || rest.Length < 10 + BinaryPrimitives.ReadUInt16LittleEndian(rest))
            {
                return null;
            }

            var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            var key = rest.Slice(2, keyLength);
            var start = (long)BinaryPrimitives.ReadInt32LittleEndian(rest[(2 + keyLength)..]) * unit;
            var length = (long)BinaryPrimitives.ReadInt32LittleEndian(rest[(6 + keyLength)..]) * unit;
            if (IndexKey.FromEncoded(key) is null || start != expectedStart || length < 1 || expectedStart + length > postingBytes || !directory.TryAdd(key.ToArray(), ((int)start, (int)length)))
            {
                return null;
            }

            expectedStart += length;
            rest = rest[(10 + keyLength)..];
        }

        return rest.IsEmpty && expectedStart == postingBytes ? directory : null;
    }
}
