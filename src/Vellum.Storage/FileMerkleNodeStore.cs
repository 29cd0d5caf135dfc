using Vellum.Core;
using Vellum.Core.Merkle;
using Vellum.Storage.Files;

namespace Vellum.Storage;

/// <summary>
/// The Merkle tree's node store as a file of 32-byte hashes in the tree's post-order layout.
/// It is derived data: recomputable from the chunk files, written behind the ledger without
/// fsync except at checkpoints, and never trusted further than a checkpoint vouches for it.
/// Callers serialise access (the ledger's lock), except for writing the in-flight bytes.
/// </summary>
internal sealed class FileMerkleNodeStore : IMerkleNodeStore, IDisposable
{
    private readonly IStorageFile _file;
    private readonly WriteBehindBuffer _buffer;
    private long? _cutFileTo;

    public FileMerkleNodeStore(IStorageFile file, long nodeCount)
    {
        _file = file;
        var bytes = nodeCount * Sha256Hash.Size;
        Invariant.Check(bytes <= file.Length, "the node file holds the nodes it is opened with");
        if (file.Length != bytes)
        {
            file.SetLength(bytes);
        }

        _buffer = new WriteBehindBuffer(bytes);
    }

    public long Count => _buffer.Length / Sha256Hash.Size;

    public bool HasUnwritten => _buffer.BufferedBytes > 0;

    public void Append(in Sha256Hash node) => node.CopyTo(_buffer.Append(Sha256Hash.Size));

    public Sha256Hash Read(long position)
    {
        Invariant.Check(position >= 0 && position < Count, "the node exists");
        Span<byte> node = stackalloc byte[Sha256Hash.Size];
        var offset = position * Sha256Hash.Size;
        if (!_buffer.TryRead(offset, node) && _file.Read(node, offset) != node.Length)
        {
            throw new IOException($"The Merkle node file ended before node {position}.");
        }

        return new Sha256Hash(node);
    }

    /// <summary>
    /// Drops the nodes at or after <paramref name="count"/>. The file itself is cut by
    /// <see cref="ApplyCut"/>, or before the next write, so that a caller holding a lock does no
    /// I/O; until then the file's extra nodes are never read.
    /// </summary>
    public void Truncate(long count)
    {
        var bytes = count * Sha256Hash.Size;
        if (bytes < _buffer.WrittenLength)
        {
            _cutFileTo = Math.Min(_cutFileTo ?? bytes, bytes);
        }

        _buffer.Truncate(bytes);
    }

    /// <summary>Cuts the file to what <see cref="Truncate"/> kept, if it has not been cut yet.</summary>
    public void ApplyCut()
    {
        if (_cutFileTo is { } length)
        {
            _file.SetLength(length);
            _cutFileTo = null;
        }
    }

    public (long Offset, ReadOnlyMemory<byte> Data) TakePending() => _buffer.TakePending();

    /// <summary>Writes the buffered nodes out once they exceed <paramref name="maxBytes"/>, for long rebuilds.</summary>
    public void WriteBehindOver(long maxBytes)
    {
        if (_buffer.BufferedBytes < maxBytes)
        {
            return;
        }

        ApplyCut();
        var (offset, data) = _buffer.TakePending();
        _file.Write(data.Span, offset);
        _buffer.CompleteWrite();
    }

    /// <summary>
    /// Writes nodes taken with <see cref="TakePending"/>, after any cut still due. The flusher
    /// calls it without the owner's lock; the owner never truncates while a write is in flight.
    /// </summary>
    public void Write(long offset, ReadOnlyMemory<byte> data)
    {
        ApplyCut();
        _file.Write(data.Span, offset);
    }

    public void CompleteWrite() => _buffer.CompleteWrite();

    public void Sync() => _file.Sync();

    public void Dispose() => _file.Dispose();
}
