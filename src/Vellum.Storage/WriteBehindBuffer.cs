using Vellum.Core;

namespace Vellum.Storage;

/// <summary>
/// Bytes appended to the end of a file but not yet written to it: a pending area that appends
/// fill, and at most one in-flight area that a writer is copying to the file. Reads of bytes
/// not yet in the file are served from here. The two arrays swap roles, so steady-state appends
/// allocate nothing. Not thread-safe: the owner serialises calls, except that the in-flight
/// bytes may be read by the writer without the owner's lock while the write is in progress.
/// </summary>
internal sealed class WriteBehindBuffer(long writtenLength)
{
    private const int InitialBytes = 64 * 1024;
    private const int ShrinkAboveBytes = 4 * 1024 * 1024;
    private byte[] _pending = new byte[InitialBytes];
    private byte[] _inFlight = new byte[InitialBytes];
    private int _pendingLength;
    private int _inFlightLength;
    private bool _writeInProgress;

    /// <summary>The bytes the file holds (they may not be synced).</summary>
    public long WrittenLength { get; private set; } = writtenLength;

    /// <summary>The file's length once everything buffered is written.</summary>
    public long Length => WrittenLength + _inFlightLength + _pendingLength;

    /// <summary>Bytes buffered but not yet written, pending and in flight.</summary>
    public int BufferedBytes => _pendingLength + _inFlightLength;

    /// <summary>Reserves <paramref name="length"/> bytes at the end for the caller to fill at once.</summary>
    public Span<byte> Append(int length)
    {
        var needed = (long)_pendingLength + length;
        if (needed > _pending.Length)
        {
            Invariant.Check(needed <= Array.MaxLength, "the owner bounds what is pending well below the largest array");
            var grown = new byte[Math.Max(needed, Math.Min(2L * _pending.Length, Array.MaxLength))];
            _pending.AsSpan(0, _pendingLength).CopyTo(grown);
            _pending = grown;
        }

        var reserved = _pending.AsSpan(_pendingLength, length);
        _pendingLength += length;
        return reserved;
    }

    /// <summary>Hands the pending bytes to the writer: they go at <c>Offset</c> in the file.</summary>
    public (long Offset, ReadOnlyMemory<byte> Data) TakePending()
    {
        Invariant.Check(!_writeInProgress, "one write at a time");
        (_pending, _inFlight) = (_inFlight, _pending);
        _inFlightLength = _pendingLength;
        _pendingLength = 0;
        _writeInProgress = true;
        return (WrittenLength, _inFlight.AsMemory(0, _inFlightLength));
    }

    /// <summary>Records that the writer put the in-flight bytes into the file.</summary>
    public void CompleteWrite()
    {
        Invariant.Check(_writeInProgress, "a write is in progress");
        WrittenLength += _inFlightLength;
        if (_inFlight.Length > ShrinkAboveBytes && _inFlightLength < _inFlight.Length / 4)
        {
            // A burst is over: give the memory back rather than hold the peak for ever.
            _inFlight = new byte[Math.Max(InitialBytes, 2 * _inFlightLength)];
        }

        _inFlightLength = 0;
        _writeInProgress = false;
    }

    /// <summary>Copies buffered bytes at <paramref name="offset"/>; false when they are already in the file.</summary>
    public bool TryRead(long offset, Span<byte> destination)
    {
        if (offset < WrittenLength)
        {
            return false;
        }

        Invariant.Check(offset + destination.Length <= Length, "reads stay within what was appended");
        var inFlightEnd = WrittenLength + _inFlightLength;
        if (offset < inFlightEnd)
        {
            Invariant.Check(offset + destination.Length <= inFlightEnd, "a read does not straddle the in-flight and pending areas");
            _inFlight.AsSpan((int)(offset - WrittenLength), destination.Length).CopyTo(destination);
        }
        else
        {
            _pending.AsSpan((int)(offset - inFlightEnd), destination.Length).CopyTo(destination);
        }

        return true;
    }

    /// <summary>Drops everything at or after <paramref name="length"/>; the caller truncates the file if it held any of it.</summary>
    public void Truncate(long length)
    {
        Invariant.Check(!_writeInProgress, "no write is in progress while truncating");
        if (length >= WrittenLength)
        {
            _pendingLength = (int)Math.Min(_pendingLength, length - WrittenLength);
        }
        else
        {
            WrittenLength = length;
            _pendingLength = 0;
        }
    }
}
