namespace Vellum.Storage.Files;

/// <summary>A handle on a <see cref="SimulatedFileSystem"/> file; it follows the file through renames.</summary>
internal sealed class SimulatedFile(SimulatedFileSystem fileSystem, SimulatedInode inode) : IStorageFile
{
    private bool _disposed;

    // A disposed handle fails as a real one does, so tests catch use after dispose.
    public long Length => fileSystem.Length(Live());

    public int Read(Span<byte> destination, long offset) => fileSystem.Read(Live(), destination, offset);

    public void Write(ReadOnlySpan<byte> source, long offset) => fileSystem.Write(Live(), source, offset);

    public void SetLength(long length) => fileSystem.SetLength(Live(), length);

    public void Sync() => fileSystem.Sync(Live());

    private SimulatedInode Live()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return inode;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            fileSystem.CloseHandle();
        }
    }
}
