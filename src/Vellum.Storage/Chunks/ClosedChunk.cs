using System.Buffers.Binary;
using Vellum.Core;
using Vellum.Storage.Files;
using Vellum.Storage.Indexing;

namespace Vellum.Storage.Chunks;

/// <summary>Receives each entry of a chunk being verified, with its seqno and record offset.</summary>
internal delegate void EntryVisitor(long seqno, byte[] entry, long recordOffset);

/// <summary>
/// A closed chunk, read through its footer: entry i costs one read of its offset slot and one of
/// its record; a key's seqnos cost one read of its postings slice. Only the key directory and, in
/// chunk format 2, its dictionary (a few bytes per distinct key, collection or signer) are held in memory. Every read is checked before it is returned.
/// </summary>
internal sealed class ClosedChunk
{
    private readonly ChunkFileCache _files;
    private readonly ChunkTrailer _trailer;
    private readonly long _endOfRecords;
    private readonly Dictionary<byte[], (int Start, int Length)> _keyDirectory;
    private readonly Dictionary<byte[], (int Start, int Length)>.AlternateLookup<ReadOnlySpan<byte>> _keysBySpan;

    private ClosedChunk(string path, ChunkFileCache files, EntryRecordCodec codec, ChunkTrailer trailer, long endOfRecords, Dictionary<byte[], (int Start, int Length)> keyDirectory)
    {
        Path = path;
        _files = files;
        Codec = codec;
        _trailer = trailer;
        _endOfRecords = endOfRecords;
        _keyDirectory = keyDirectory;
        _keysBySpan = keyDirectory.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public string Path { get; }

    public long FirstSeqno => _trailer.FirstSeqno;

    public long LastSeqno => _trailer.LastSeqno;

    /// <summary>How the chunk stores its entries, with its whole dictionary: it expands any of its records, in any order.</summary>
    public EntryRecordCodec Codec { get; }

    private uint Version => Codec.ChunkVersion;

    private int SlotBytes => ChunkFooter.OffsetSlotBytes(Version);

    public IEnumerable<byte[]> Keys => _keyDirectory.Keys;

    /// <summary>
    /// Loads a closed chunk through <paramref name="file"/>, checking its header, trailer and key
    /// directory; later reads lease the chunk's handle from <paramref name="files"/>.
    /// </summary>
    /// <exception cref="LedgerCorruptException">Any of them is damaged or disagrees with the file name.</exception>
    public static ClosedChunk Load(ChunkFileCache files, IStorageFile file, string path, long firstSeqno, long lastSeqno)
    {
        var length = file.Length;
        var problem = ChunkFile.ReadHeaderProblem(file, firstSeqno, out var version);
        if (problem is not null)
        {
            throw new LedgerCorruptException(path, 0, problem);
        }

        var trailerOffset = length - ChunkTrailer.RecordSize(version);
        var trailerPayload = ChunkFile.ReadRecord(file, path, trailerOffset, RecordType.ChunkTrailer, length);
        if (trailerPayload.Length != ChunkTrailer.PayloadSize(version))
        {
            throw new LedgerCorruptException(path, trailerOffset, $"the trailer has {trailerPayload.Length} bytes, not the {ChunkTrailer.PayloadSize(version)} of chunk format {version}");
        }

        var trailer = ChunkFooter.DecodeTrailer(trailerPayload, trailerOffset);
        if (trailer.FirstSeqno != firstSeqno || trailer.LastSeqno != lastSeqno)
        {
            throw new LedgerCorruptException(path, trailerOffset, $"the trailer says seqnos {trailer.FirstSeqno}-{trailer.LastSeqno}, the file name says {firstSeqno}-{lastSeqno}");
        }

        var entryCount = lastSeqno - firstSeqno + 1;
        if (!(ChunkFile.HeaderSize < trailer.EntryOffsetsRecord
              && trailer.EntryOffsetsRecord + RecordFrame.FramedSize(checked((int)(ChunkFooter.OffsetSlotBytes(version) * entryCount))) == trailer.KeyDirectoryRecord
              && trailer.KeyDirectoryRecord < trailer.PostingsRecord
              && trailer.PostingsRecord < trailer.DictionaryRecord
              && (version == 1 ? trailer.DictionaryRecord == trailerOffset : trailer.DictionaryRecord < trailerOffset)))
        {
            throw new LedgerCorruptException(path, trailerOffset, "the trailer's record offsets are out of place");
        }

        var postingsLength = trailer.DictionaryRecord - trailer.PostingsRecord - RecordFrame.HeaderSize;
        var directoryPayload = ChunkFile.ReadRecord(file, path, trailer.KeyDirectoryRecord, RecordType.KeyDirectory, trailer.PostingsRecord);
        var directory = ChunkFooter.DecodeKeyDirectory(version, directoryPayload, checked((int)postingsLength))
            ?? throw new LedgerCorruptException(path, trailer.KeyDirectoryRecord, "the key directory is inconsistent with the postings");
        var codec = version == 1
            ? EntryRecordCodec.For(version)
            : EntryRecordCodec.Closed(
                ChunkFooter.DecodeDictionary(ChunkFile.ReadRecord(file, path, trailer.DictionaryRecord, RecordType.Dictionary, trailerOffset), firstSeqno)
                ?? throw new LedgerCorruptException(path, trailer.DictionaryRecord, "the chunk's dictionary is malformed"));
        return new ClosedChunk(path, files, codec, trailer, trailer.EntryOffsetsRecord, directory);
    }

    public bool Contains(long seqno) => seqno >= FirstSeqno && seqno <= LastSeqno;

    /// <summary>Reads entry <paramref name="seqno"/>'s stored bytes, checked against its record checksum and seqno.</summary>
    public byte[] ReadEntry(long seqno)
    {
        using var lease = OpenFile();
        var (bounds, slot) = EntryRecordBounds(lease.File, seqno, seqno);

        // The record is read up to the offsets table, not to the next slot, so that a damaged
        // next slot is reported at the slots rather than blamed on a sound record.
        var entry = ChunkFile.ReadEntry(lease.File, Path, bounds[0], _trailer.EntryOffsetsRecord, seqno, Codec, out var recordLength);
        if (recordLength != bounds[1] - bounds[0])
        {
            throw new LedgerCorruptException(Path, slot, $"the entry offsets table gives entry {seqno} {bounds[1] - bounds[0]} bytes, but its record has {recordLength}");
        }

        return entry;
    }

    /// <summary>
    /// Reads entries <paramref name="first"/> to <paramref name="last"/> of this chunk, checked as
    /// <see cref="ReadEntry"/> checks them, with one read of their slots in the entry offsets table
    /// and one read of their records per <see cref="ChunkFile.MaxRunReadBytes"/>. Damage is
    /// reported where <see cref="ReadEntry"/> reports it: a run that fails is read again entry by
    /// entry, so that a damaged slot is not blamed on the sound record it misplaces.
    /// </summary>
    public void ReadEntries(long first, long last, List<byte[]> into)
    {
        var count = into.Count;
        try
        {
            using var lease = OpenFile();
            ChunkFile.ReadEntryRun(lease.File, Path, EntryRecordBounds(lease.File, first, last).Bounds, first, Codec, into);
        }
        catch (LedgerCorruptException)
        {
            into.RemoveRange(count, into.Count - count);
            for (var seqno = first; seqno <= last; seqno++)
            {
                into.Add(ReadEntry(seqno));
            }

            throw;
        }
    }

    /// <summary>The file offset of entry <paramref name="seqno"/>'s record.</summary>
    public long EntryRecordOffset(long seqno)
    {
        using var lease = OpenFile();
        return EntryRecordBounds(lease.File, seqno, seqno).Bounds[0];
    }

    /// <summary>
    /// Reads entries <see cref="FirstSeqno"/> to <paramref name="lastSeqno"/> (before this chunk's
    /// last) back into a writer that continues this chunk as the open chunk, checking each
    /// record. The writer holds a lease on the chunk's handle, which follows the file through the
    /// rename to its open name. Reads the kept part of the chunk once. Also returns the flush
    /// batch that wrote entry <paramref name="lastSeqno"/>, the latest among the kept records.
    /// </summary>
    /// <exception cref="LedgerCorruptException">A kept record is damaged.</exception>
    public (ChunkWriter Writer, int LastBatch) Reopen(string directory, long lastSeqno)
    {
        Invariant.Check(lastSeqno >= FirstSeqno && lastSeqno < LastSeqno, "a reopened chunk keeps some of its entries and drops some");
        var lease = OpenFile();
        try
        {
            var end = EntryRecordBounds(lease.File, lastSeqno + 1, lastSeqno + 1).Bounds[0];
            var writer = new ChunkWriter(directory, FirstSeqno, lease, end, EntryRecordCodec.For(Version));
            var scanner = new ChunkScanner(lease.File, end);
            var seqno = FirstSeqno;
            while (scanner.Next(out var offset, out var type, out var payload))
            {
                if (type != RecordType.Entry)
                {
                    throw new LedgerCorruptException(Path, offset, $"a {type} record lies among the chunk's entries");
                }

                var entry = ChunkFile.CanonicalEntry(payload, Path, offset, seqno, writer.Codec, learn: true, out var kind);
                writer.Adopt(offset, entry, kind, seqno);
                seqno++;
            }

            if (scanner.Problem is not null || seqno != lastSeqno + 1)
            {
                throw new LedgerCorruptException(Path, scanner.EndOfSoundRecords, scanner.Problem ?? $"the entry offsets table places entry {lastSeqno + 1} after entry {seqno - 1}");
            }

            return (writer, scanner.Batch);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where the records of entries <paramref name="first"/> to <paramref name="last"/> lie:
    /// entry <c>first + k</c> from <c>Bounds[k]</c> to <c>Bounds[k + 1]</c>, read with one read of
    /// their slots in the offsets table and the next one (or the table itself, after the last
    /// entry); <c>FirstSlot</c> is where <paramref name="first"/>'s slot is. Slots that cannot be
    /// right are reported at the slot, so damage to the table is not blamed on the entries.
    /// </summary>
    private (long[] Bounds, long FirstSlot) EntryRecordBounds(IStorageFile file, long first, long last)
    {
        Invariant.Check(Contains(first) && Contains(last) && first <= last, "the seqnos are in this chunk");
        var count = (int)(last - first + 1);
        var slotBytes = SlotBytes;
        var slots = new byte[slotBytes * (last == LastSeqno ? count : count + 1)];
        var firstSlot = _trailer.EntryOffsetsRecord + RecordFrame.HeaderSize + (slotBytes * (first - FirstSeqno));
        if (file.Read(slots, firstSlot) != slots.Length)
        {
            throw new LedgerCorruptException(Path, firstSlot, "the entry offsets table is cut short");
        }

        var bounds = new long[count + 1];
        bounds[count] = _trailer.EntryOffsetsRecord;
        for (var k = 0; k < slots.Length / slotBytes; k++)
        {
            bounds[k] = slotBytes == 8 ? BinaryPrimitives.ReadInt64LittleEndian(slots.AsSpan(8 * k)) : BinaryPrimitives.ReadUInt32LittleEndian(slots.AsSpan(4 * k));
        }

        for (var k = 0; k < count; k++)
        {
            if (bounds[k] < ChunkFile.HeaderSize || bounds[k + 1] > _trailer.EntryOffsetsRecord || bounds[k + 1] - bounds[k] <= RecordFrame.HeaderSize)
            {
                throw new LedgerCorruptException(Path, firstSlot + (slotBytes * k), $"the entry offsets table places entry {first + k} at {bounds[k]}-{bounds[k + 1]}, outside the chunk's entries");
            }
        }

        return (bounds, firstSlot);
    }

    /// <summary>Adds the seqnos of <paramref name="key"/> within [from, to] to <paramref name="into"/>, up to <paramref name="limit"/> in all.</summary>
    /// <remarks>
    /// Reads the key's whole posting list in this chunk (bounded by the chunk's size, not the
    /// ledger's) so that it can check the list is strictly ascending: a damaged posting then
    /// either breaks the order or names an entry without the key, which the caller checks.
    /// </remarks>
    public void Query(ReadOnlySpan<byte> key, long fromSeqno, long toSeqno, int limit, List<long> into)
    {
        if (!_keysBySpan.TryGetValue(key, out var postings))
        {
            return;
        }

        var bytes = new byte[postings.Length];
        var offset = _trailer.PostingsRecord + RecordFrame.HeaderSize + postings.Start;
        using var lease = OpenFile();
        if (lease.File.Read(bytes, offset) != bytes.Length)
        {
            throw new LedgerCorruptException(Path, offset, "the postings are cut short");
        }

        var deltas = ChunkFooter.DecodePostings(Version, bytes, LastSeqno - FirstSeqno + 1)
            ?? throw new LedgerCorruptException(Path, offset, "the postings are out of order or out of range");
        foreach (var delta in deltas)
        {
            var seqno = FirstSeqno + delta;
            if (seqno >= fromSeqno && seqno <= toSeqno && into.Count < limit)
            {
                into.Add(seqno);
            }
        }
    }

    /// <summary>
    /// Checks every byte of the chunk: the header, every record's checksum, every entry's format
    /// and seqno, and that the footer is exactly the one its entries imply. Hands each entry to
    /// <paramref name="visit"/> so the caller can check it against the Merkle tree.
    /// </summary>
    /// <exception cref="LedgerCorruptException">Something differs; names the offset.</exception>
    public void Verify(EntryVisitor visit)
    {
        using var lease = OpenFile();
        var file = lease.File;
        var length = file.Length;
        var headerProblem = ChunkFile.ReadHeaderProblem(file, FirstSeqno, out var version);
        if (headerProblem is not null)
        {
            throw new LedgerCorruptException(Path, 0, headerProblem);
        }

        var scanner = new ChunkScanner(file, length);
        var codec = EntryRecordCodec.For(version);
        var offsets = new List<long>();
        var postings = new ChunkPostings(FirstSeqno);
        long footerOffset;
        while (true)
        {
            if (!scanner.Next(out var offset, out var type, out var payload))
            {
                throw new LedgerCorruptException(Path, scanner.EndOfSoundRecords, scanner.Problem ?? "the chunk has no footer");
            }

            if (type != RecordType.Entry)
            {
                footerOffset = offset;
                break;
            }

            var seqno = FirstSeqno + offsets.Count;
            var entry = ChunkFile.CanonicalEntry(payload, Path, offset, seqno, codec, learn: true, out var kind);
            offsets.Add(offset);
            postings.Add(entry, kind, seqno);
            visit(seqno, entry, offset);
        }

        if (offsets.Count != LastSeqno - FirstSeqno + 1)
        {
            throw new LedgerCorruptException(Path, footerOffset, $"the chunk's entries end at seqno {FirstSeqno + offsets.Count - 1}, its name says {LastSeqno}");
        }

        var expected = ChunkFooter.Encode(codec, FirstSeqno, LastSeqno, offsets, postings, footerOffset, scanner.Batch);
        var actual = new byte[length - footerOffset];
        _ = file.Read(actual, footerOffset);
        var difference = expected.AsSpan().CommonPrefixLength(actual);
        if (difference != expected.Length || actual.Length != expected.Length)
        {
            throw new LedgerCorruptException(Path, footerOffset + difference, "the footer does not match the entries it indexes");
        }
    }

    /// <summary>A lease on the chunk's file handle; dispose it when done.</summary>
    public ChunkFileCache.Lease OpenFile() => _files.Open(FirstSeqno, Path);
}
