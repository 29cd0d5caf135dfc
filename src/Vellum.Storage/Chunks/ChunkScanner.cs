using Vellum.Storage.Files;

namespace Vellum.Storage.Chunks;

/// <summary>
/// Reads a chunk file's records front to back through a large buffer, checking each frame's
/// checksum, and stops at the first record that is incomplete or damaged.
/// </summary>
internal sealed class ChunkScanner(IStorageFile file, long fileLength)
{
    private const int BufferBytes = 1 << 20;
    private byte[] _buffer = new byte[BufferBytes];
    private long _bufferOffset = -1;
    private int _bufferLength;

    /// <summary>The offset just past the last sound record seen.</summary>
    public long EndOfSoundRecords { get; private set; } = ChunkFile.HeaderSize;

    /// <summary>Why scanning stopped before the end of the file, or null when it reached the end cleanly.</summary>
    public string? Problem { get; private set; }

    /// <summary>The flush batch that wrote the current record.</summary>
    public int Batch { get; private set; }

    /// <summary>
    /// Moves to the next sound record. The payload span is valid until the next call. Returns false
    /// at the end of the file or at damage, which <see cref="Problem"/> then describes.
    /// </summary>
    public bool Next(out long recordOffset, out RecordType type, out ReadOnlySpan<byte> payload)
    {
        recordOffset = EndOfSoundRecords;
        type = default;
        payload = default;
        if (recordOffset == fileLength)
        {
            return false;
        }

        if (fileLength - recordOffset < RecordFrame.HeaderSize)
        {
            Problem = $"{fileLength - recordOffset} bytes after the last record are too few for a record header";
            return false;
        }

        var header = Window(recordOffset, RecordFrame.HeaderSize);
        if (!RecordFrame.TryReadHeader(header, out type, out var payloadLength, out var batch))
        {
            Problem = "a record header is damaged";
            return false;
        }

        if (payloadLength > fileLength - recordOffset - RecordFrame.HeaderSize)
        {
            Problem = $"a record of {payloadLength} bytes runs past the end of the file";
            return false;
        }

        var record = Window(recordOffset, RecordFrame.HeaderSize + payloadLength);
        if (!RecordFrame.HasValidChecksum(record))
        {
            Problem = "a record's checksum does not match its contents";
            return false;
        }

        payload = record[RecordFrame.HeaderSize..];
        EndOfSoundRecords = recordOffset + record.Length;
        Batch = batch;
        return true;
    }

    /// <summary>
    /// Looks past damage at <paramref name="damagedOffset"/> for sound entry records, trying every
    /// offset, and returns the batch number of each one found, in file order. Only entry records
    /// are sought, and the first bytes of their entry (version and kind in chunk format 1, the form
    /// byte in format 2) are checked before the checksum, so scanning garbage costs a few
    /// comparisons per byte.
    /// </summary>
    public List<int> SoundEntryBatchesAfter(long damagedOffset, uint chunkVersion)
    {
        var batches = new List<int>();
        var position = damagedOffset + 1;
        while (position + RecordFrame.HeaderSize + 2 <= fileLength)
        {
            var header = Window(position, RecordFrame.HeaderSize + 2);
            if (RecordFrame.TryReadHeader(header, out var type, out var payloadLength, out var batch)
                && type == RecordType.Entry
                && payloadLength <= fileLength - position - RecordFrame.HeaderSize
                && (chunkVersion == 1
                    ? header[RecordFrame.HeaderSize] == Vellum.Core.Entries.EntryHeader.FormatVersion && header[RecordFrame.HeaderSize + 1] is 1 or 2 or 3
                    : EntryRecordCodec.IsForm(header[RecordFrame.HeaderSize]))
                && RecordFrame.HasValidChecksum(Window(position, RecordFrame.HeaderSize + payloadLength)))
            {
                batches.Add(batch);
                position += RecordFrame.HeaderSize + payloadLength;
                continue;
            }

            position++;
        }

        return batches;
    }

    private ReadOnlySpan<byte> Window(long offset, int length)
    {
        var inBuffer = _bufferOffset >= 0 && offset >= _bufferOffset && offset + length <= _bufferOffset + _bufferLength;
        if (!inBuffer)
        {
            if (length > _buffer.Length)
            {
                _buffer = new byte[length];
            }

            _bufferOffset = offset;
            _bufferLength = file.Read(_buffer, offset);
        }

        return _buffer.AsSpan((int)(offset - _bufferOffset), length);
    }
}
