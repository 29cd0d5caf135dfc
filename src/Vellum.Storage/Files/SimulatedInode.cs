namespace Vellum.Storage.Files;

/// <summary>
/// One file's contents in <see cref="SimulatedFileSystem"/>: what is durable, and the writes and
/// truncations since the last sync, in order. Callers hold the file system's lock.
/// </summary>
internal sealed class SimulatedInode
{
    private readonly List<PendingChange> _pending = [];
    private byte[] _durable = [];
    private byte[] _current = [];
    private long _currentLength;

    public long Length => _currentLength;

    public int Read(Span<byte> destination, long offset)
    {
        if (offset >= _currentLength)
        {
            return 0;
        }

        var count = (int)Math.Min(destination.Length, _currentLength - offset);
        _current.AsSpan((int)offset, count).CopyTo(destination);
        return count;
    }

    public void Write(ReadOnlySpan<byte> source, long offset)
    {
        _pending.Add(new PendingChange(offset, source.ToArray(), Length: -1));
        Apply(ref _current, ref _currentLength, offset, source);
    }

    public void SetLength(long length)
    {
        _pending.Add(new PendingChange(0, [], length));
        Resize(ref _current, ref _currentLength, length);
    }

    public void Sync()
    {
        _durable = _current.AsSpan(0, (int)_currentLength).ToArray();
        _pending.Clear();
    }

    public byte[] Snapshot() => _current.AsSpan(0, (int)_currentLength).ToArray();

    public void ReplaceDurably(byte[] contents)
    {
        _durable = contents.ToArray();
        _current = contents.ToArray();
        _currentLength = contents.Length;
        _pending.Clear();
    }

    /// <summary>
    /// The file after a power loss: its durable bytes, then each pending change in order either
    /// lost, kept, or (for a write) torn to a random prefix — the kernel may have flushed any
    /// of them, in any order, or none.
    /// </summary>
    public SimulatedInode AfterPowerLoss(Random random)
    {
        var contents = _durable.ToArray();
        long length = contents.Length;
        foreach (var change in _pending)
        {
            var fate = random.Next(3);
            if (fate == 0)
            {
                continue;
            }

            if (change.Length >= 0)
            {
                Resize(ref contents, ref length, change.Length);
                continue;
            }

            var kept = fate == 1 ? change.Data.Length : random.Next(change.Data.Length + 1);
            Apply(ref contents, ref length, change.Offset, change.Data.AsSpan(0, kept));
        }

        var survivor = new SimulatedInode();
        survivor.ReplaceDurably(contents.AsSpan(0, (int)length).ToArray());
        return survivor;
    }

    private static void Apply(ref byte[] contents, ref long length, long offset, ReadOnlySpan<byte> data)
    {
        var end = offset + data.Length;
        if (end > length)
        {
            Resize(ref contents, ref length, end);
        }

        data.CopyTo(contents.AsSpan((int)offset));
    }

    private static void Resize(ref byte[] contents, ref long length, long newLength)
    {
        if (newLength > contents.Length)
        {
            Array.Resize(ref contents, (int)Math.Max(newLength, contents.Length * 2L));
        }

        if (newLength > length)
        {
            contents.AsSpan((int)length, (int)(newLength - length)).Clear();
        }

        length = newLength;
    }

    private readonly record struct PendingChange(long Offset, byte[] Data, long Length);
}
