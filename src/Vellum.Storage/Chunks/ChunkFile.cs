using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Storage.Files;

namespace Vellum.Storage.Chunks;

/// <summary>
/// The names and fixed header of chunk files, and reading one framed record at a known offset.
/// A chunk in progress is <c>ledger_&lt;first&gt;.open</c>; a closed one is
/// <c>ledger_&lt;first&gt;-&lt;last&gt;.chunk</c> and is never written again, unless a truncation
/// reopens it.
/// </summary>
internal static class ChunkFile
{
    public const int HeaderSize = 32;

    /// <summary>The most bytes of entry records a run read takes in one read of the file (a larger record is read alone).</summary>
    public const int MaxRunReadBytes = 1 << 20;
    /// <summary>The chunk format this build writes; it reads format 1 too (<see cref="EntryRecordCodec"/>).</summary>
    public const uint FormatVersion = 2;
    private const string Prefix = "ledger_";
    private const string OpenSuffix = ".open";
    private const string ClosedSuffix = ".chunk";
    private static ReadOnlySpan<byte> Magic => "VLMCHUNK"u8;

    public static string OpenName(long firstSeqno) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{firstSeqno}{OpenSuffix}");

    public static string ClosedName(long firstSeqno, long lastSeqno) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{firstSeqno}-{lastSeqno}{ClosedSuffix}");

    /// <summary>Parses a chunk file name; <paramref name="lastSeqno"/> is -1 for an open chunk.</summary>
    public static bool TryParseName(string name, out long firstSeqno, out long lastSeqno)
    {
        firstSeqno = lastSeqno = -1;
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (name.EndsWith(OpenSuffix, StringComparison.Ordinal))
        {
            return TryParseSeqno(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - OpenSuffix.Length), out firstSeqno);
        }

        if (!name.EndsWith(ClosedSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        var range = name.AsSpan(Prefix.Length, name.Length - Prefix.Length - ClosedSuffix.Length);
        var dash = range.IndexOf('-');
        return dash > 0
            && TryParseSeqno(range[..dash], out firstSeqno)
            && TryParseSeqno(range[(dash + 1)..], out lastSeqno)
            && lastSeqno >= firstSeqno;
    }

    /// <summary>The header of a new chunk of format <paramref name="version"/> (the one its writer's codec stores entries in).</summary>
    public static byte[] EncodeHeader(long firstSeqno, uint version)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), version);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), firstSeqno);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), Crc32C.Compute(header.AsSpan(0, 28)));
        return header;
    }

    /// <summary>Reads and checks the header of a chunk file; returns the problem, or null when it is sound and <paramref name="version"/> is its format.</summary>
    public static string? ReadHeaderProblem(IStorageFile file, long expectedFirstSeqno, out uint version)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        version = 0;
        return file.Read(header, 0) == HeaderSize ? CheckHeader(header, expectedFirstSeqno, out version) : "the file is shorter than its header";
    }

    /// <summary>Checks the header of a chunk file; returns the problem, or null when it is sound and <paramref name="version"/> is its format.</summary>
    public static string? CheckHeader(ReadOnlySpan<byte> header, long expectedFirstSeqno, out uint version)
    {
        version = 0;
        if (header.Length < HeaderSize)
        {
            return $"the file is shorter than its {HeaderSize}-byte header";
        }

        if (!header[..8].SequenceEqual(Magic) || BinaryPrimitives.ReadUInt32LittleEndian(header[28..]) != Crc32C.Compute(header[..28]))
        {
            return "the chunk header is damaged";
        }

        version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version is not (1 or FormatVersion))
        {
            return $"chunk format version {version} is not supported (this build reads versions 1 and {FormatVersion})";
        }

        var first = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        return first == expectedFirstSeqno ? null : $"the header says the chunk starts at seqno {first}, its name says {expectedFirstSeqno}";
    }

    /// <summary>Reads and checks the record at <paramref name="offset"/>, returning its payload.</summary>
    /// <exception cref="LedgerCorruptException">The record is truncated, damaged or of another type.</exception>
    public static byte[] ReadRecord(IStorageFile file, string path, long offset, RecordType expectedType, long endOfRecords)
    {
        Span<byte> header = stackalloc byte[RecordFrame.HeaderSize];
        if (offset < HeaderSize || offset + RecordFrame.HeaderSize > endOfRecords || file.Read(header, offset) != header.Length)
        {
            throw new LedgerCorruptException(path, offset, $"a {expectedType} record was expected here but the file ends or the offset is out of place");
        }

        if (!RecordFrame.TryReadHeader(header, out var type, out var payloadLength, out _) || offset + RecordFrame.HeaderSize + payloadLength > endOfRecords)
        {
            throw new LedgerCorruptException(path, offset, "the record header is damaged");
        }

        if (type != expectedType)
        {
            throw new LedgerCorruptException(path, offset, $"expected a {expectedType} record, found a {type} record");
        }

        var payload = new byte[payloadLength];
        if (file.Read(payload, offset + RecordFrame.HeaderSize) != payloadLength
            || Crc32C.Append(Crc32C.Compute(header[4..]), payload) != BinaryPrimitives.ReadUInt32LittleEndian(header))
        {
            throw new LedgerCorruptException(path, offset, $"the {type} record's checksum does not match its contents");
        }

        return payload;
    }

    /// <summary>
    /// Reads the entry record at <paramref name="offset"/>, checking it is whole and is entry
    /// <paramref name="seqno"/>, and returns the entry's canonical bytes and the record's length.
    /// </summary>
    /// <exception cref="LedgerCorruptException">The record is damaged or holds another entry.</exception>
    public static byte[] ReadEntry(IStorageFile file, string path, long offset, long endOfRecords, long seqno, EntryRecordCodec codec, out int recordLength)
    {
        var stored = ReadRecord(file, path, offset, RecordType.Entry, endOfRecords);
        recordLength = RecordFrame.FramedSize(stored.Length);
        return CanonicalEntry(stored, path, offset, seqno, codec, learn: false, out _);
    }

    /// <summary>The canonical bytes of the entry record payload <paramref name="stored"/>, checked as a well-formed entry <paramref name="seqno"/> of <paramref name="kind"/>.</summary>
    /// <exception cref="LedgerCorruptException">It is not one.</exception>
    public static byte[] CanonicalEntry(ReadOnlySpan<byte> stored, string path, long offset, long seqno, EntryRecordCodec codec, bool learn, out EntryKind kind)
    {
        var entry = codec.Expand(stored, seqno, learn) ?? throw new LedgerCorruptException(path, offset, "the record holds a malformed entry: its stored form is damaged");
        kind = CheckEntry(entry, path, offset, seqno);
        return entry;
    }

    /// <summary>
    /// Reads the entry records of consecutive seqnos from <paramref name="firstSeqno"/>, record
    /// <c>k</c> spanning <c>bounds[k]</c> to <c>bounds[k + 1]</c>, with one read of the file per
    /// <see cref="MaxRunReadBytes"/> of them (or per record, for a larger one), and checks each as
    /// <see cref="ReadEntry"/> does.
    /// </summary>
    public static void ReadEntryRun(IStorageFile file, string path, ReadOnlySpan<long> bounds, long firstSeqno, EntryRecordCodec codec, List<byte[]> into)
    {
        var entries = bounds.Length - 1;
        for (int start = 0, end; start < entries; start = end)
        {
            end = start + 1;
            while (end < entries && bounds[end + 1] - bounds[start] <= MaxRunReadBytes)
            {
                end++;
            }

            // Each entry is copied out of the run as it is checked, so a run's buffer is lent, not
            // kept; a record larger than a run is read into its own, which the pool should not hold.
            var length = (int)(bounds[end] - bounds[start]);
            var pooled = length <= MaxRunReadBytes;
            var rented = pooled ? ArrayPool<byte>.Shared.Rent(length) : new byte[length];
            try
            {
                var records = rented.AsSpan(0, length);
                if (file.Read(records, bounds[start]) != length)
                {
                    throw new LedgerCorruptException(path, bounds[start], $"the file ends before the records of entries {firstSeqno + start}-{firstSeqno + end - 1}");
                }

                for (var k = start; k < end; k++)
                {
                    into.Add(CheckedEntryRecord(records.Slice((int)(bounds[k] - bounds[start]), (int)(bounds[k + 1] - bounds[k])), path, bounds[k], firstSeqno + k, codec));
                }
            }
            finally
            {
                if (pooled)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }
        }
    }

    /// <summary>The payload of <paramref name="record"/>, which the offsets give as entry <paramref name="seqno"/>'s whole record, checked as <see cref="ReadEntry"/> checks it.</summary>
    private static byte[] CheckedEntryRecord(ReadOnlySpan<byte> record, string path, long offset, long seqno, EntryRecordCodec codec)
    {
        if (!RecordFrame.TryReadHeader(record, out var type, out var payloadLength, out _))
        {
            throw new LedgerCorruptException(path, offset, "the record header is damaged");
        }

        if (RecordFrame.FramedSize(payloadLength) != record.Length)
        {
            throw new LedgerCorruptException(path, offset, $"the entry offsets give entry {seqno} {record.Length} bytes, but its record has {RecordFrame.FramedSize(payloadLength)}");
        }

        if (type != RecordType.Entry)
        {
            throw new LedgerCorruptException(path, offset, $"expected a {RecordType.Entry} record, found a {type} record");
        }

        if (!RecordFrame.HasValidChecksum(record))
        {
            throw new LedgerCorruptException(path, offset, $"the {type} record's checksum does not match its contents");
        }

        return CanonicalEntry(record[RecordFrame.HeaderSize..], path, offset, seqno, codec, learn: false, out _);
    }

    /// <summary>Checks that a record's payload is a well-formed entry with seqno <paramref name="seqno"/>; returns its kind.</summary>
    /// <exception cref="LedgerCorruptException">It is not.</exception>
    public static EntryKind CheckEntry(ReadOnlySpan<byte> entry, string path, long offset, long seqno)
    {
        EntryHeader header;
        try
        {
            header = EntryCodec.Validate(entry);
        }
        catch (EntryFormatException error)
        {
            throw new LedgerCorruptException(path, offset, $"the record holds a malformed entry: {error.Message}");
        }

        if (header.Id.Seqno != seqno)
        {
            throw new LedgerCorruptException(path, offset, $"the entry at this offset has seqno {header.Id.Seqno}, not {seqno}");
        }

        return header.Kind;
    }

    private static bool TryParseSeqno(ReadOnlySpan<char> text, out long seqno) => TransactionId.TryParsePart(text, out seqno, out _);
}
