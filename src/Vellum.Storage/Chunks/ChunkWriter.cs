using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Storage.Files;
using Vellum.Storage.Indexing;

namespace Vellum.Storage.Chunks;

/// <summary>
/// The chunk being appended to, or closing: its entry offsets and postings in memory (bounded by
/// the chunk size bound), and the bytes not yet written behind it. The ledger's lock guards it;
/// the flusher creates its file, writes its bytes and, once closing, its footer.
/// </summary>
internal sealed class ChunkWriter(string directory, long firstSeqno, ChunkFileCache.Lease? fileLease, long writtenLength, EntryRecordCodec codec)
{
    /// <summary>How this chunk stores its entries: compact for a new chunk, as its header says for one continued.</summary>
    public EntryRecordCodec Codec { get; } = codec;

    public long FirstSeqno { get; } = firstSeqno;

    public long LastSeqno => FirstSeqno + EntryOffsets.Count - 1;

    public bool IsEmpty => EntryOffsets.Count == 0;

    /// <summary>The writer's hold on its file, or null until the flusher first writes the chunk; released once it is closed.</summary>
    public ChunkFileCache.Lease? FileLease { get; set; } = fileLease;

    /// <summary>The open file, or null until the flusher first writes the chunk.</summary>
    public IStorageFile? File => FileLease?.File;

    public string OpenPath => Path.Combine(directory, ChunkFile.OpenName(FirstSeqno));

    public string ClosedPath => Path.Combine(directory, ChunkFile.ClosedName(FirstSeqno, LastSeqno));

    public WriteBehindBuffer Buffer { get; } = new(writtenLength);

    public List<long> EntryOffsets { get; } = [];

    public ChunkPostings Postings { get; } = new(firstSeqno);

    /// <summary>Set when the chunk ended on a signature over the size bound: what to checkpoint once it is closed.</summary>
    public Checkpoint? CloseCheckpoint { get; set; }

    /// <summary>A writer for a chunk not created yet, starting at <paramref name="firstSeqno"/>, in the current chunk format.</summary>
    public static ChunkWriter New(string directory, long firstSeqno) =>
        new(directory, firstSeqno, null, ChunkFile.HeaderSize, EntryRecordCodec.For(ChunkFile.FormatVersion));

    public bool Contains(long seqno) => seqno >= FirstSeqno && seqno <= LastSeqno;

    /// <summary>Frames a validated entry into the buffer, marked with the flush batch that will write it, and indexes it; returns the bytes buffered.</summary>
    public int Append(ReadOnlySpan<byte> entry, EntryKind kind, long seqno, long batch)
    {
        Invariant.Check(seqno == LastSeqno + 1 && CloseCheckpoint is null, "entries arrive in order and never after a close");
        var offset = Buffer.Length;
        var record = Buffer.Append(RecordFrame.FramedSize(Codec.StoredSize(entry)));
        Codec.Store(entry, record[RecordFrame.HeaderSize..]);
        RecordFrame.Seal(record, RecordType.Entry, batch);
        Adopt(offset, entry, kind, seqno);
        return record.Length;
    }

    /// <summary>Indexes an entry already in the file (found while recovering), which <see cref="Codec"/> has expanded.</summary>
    public void Adopt(long recordOffset, ReadOnlySpan<byte> entry, EntryKind kind, long seqno)
    {
        EntryOffsets.Add(recordOffset);
        Postings.Add(entry, kind, seqno);
    }

    /// <summary>
    /// Drops the entries after <paramref name="seqno"/> (at least one, and possibly all) and
    /// cancels a requested close. Returns the buffered bytes dropped, and whether bytes already
    /// in the file were dropped, in which case the caller cuts the file to <see cref="EndOfRecords"/>.
    /// No write may be in progress.
    /// </summary>
    public (int DroppedBufferedBytes, bool CutsFile) TruncateAfter(long seqno)
    {
        Invariant.Check(seqno >= FirstSeqno - 1 && seqno < LastSeqno, "the truncation drops some of this chunk's entries");
        var keep = (int)(seqno - FirstSeqno + 1);
        var cut = EntryOffsets[keep];
        var written = Buffer.WrittenLength;
        var buffered = Buffer.BufferedBytes;
        EntryOffsets.RemoveRange(keep, EntryOffsets.Count - keep);
        Postings.TruncateAfter(seqno);
        Codec.TruncateAfter(seqno);
        Buffer.Truncate(cut);
        CloseCheckpoint = null;
        return (buffered - Buffer.BufferedBytes, cut < written);
    }

    /// <summary>The entry if it is still buffered; otherwise null and where its record is in <see cref="File"/>.</summary>
    public byte[]? TryReadBuffered(long seqno, out long recordOffset)
    {
        recordOffset = EntryOffsets[(int)(seqno - FirstSeqno)];
        var recordEnd = seqno == LastSeqno ? Buffer.Length : EntryOffsets[(int)(seqno - FirstSeqno + 1)];
        var stored = new byte[recordEnd - recordOffset - RecordFrame.HeaderSize];
        if (!Buffer.TryRead(recordOffset + RecordFrame.HeaderSize, stored))
        {
            return null;
        }

        var entry = Codec.Expand(stored, seqno, learn: false);
        Invariant.Check(entry is not null, "a buffered record is one the codec stored");
        return entry;
    }

    /// <summary>The end of this chunk's entry records once everything buffered is written.</summary>
    public long EndOfRecords => Buffer.Length;
}
