using Vellum.Storage.Files;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// Passes every operation to another file system, except that file writes can be held at a gate
/// (a disk that stalls), and the whole "process" can be killed: a held write and everything after
/// it fail, so nothing more reaches the disk, whose page cache and durable state stay as they were.
/// </summary>
internal sealed class GatedFileSystem(IStorageFileSystem disk) : IStorageFileSystem, IDisposable
{
    private readonly ManualResetEventSlim _open = new(initialState: true);
    private volatile bool _killed;

    /// <summary>From now on, file writes wait until <see cref="Open"/> or <see cref="Kill"/>.</summary>
    public void Close() => _open.Reset();

    public void Open() => _open.Set();

    /// <summary>The process dies: held writes and every later operation fail before touching the disk.</summary>
    public void Kill()
    {
        _killed = true;
        _open.Set();
    }

    public IStorageFile OpenOrCreate(string path) => new GatedFile(this, Alive(() => disk.OpenOrCreate(path)));

    public IStorageFile OpenExisting(string path) => new GatedFile(this, Alive(() => disk.OpenExisting(path)));

    public bool FileExists(string path) => Alive(() => disk.FileExists(path));

    public IReadOnlyList<string> ListFiles(string directory) => Alive(() => disk.ListFiles(directory));

    public bool DirectoryExists(string path) => Alive(() => disk.DirectoryExists(path));

    public void CreateDirectory(string path) => Alive(() => disk.CreateDirectory(path));

    public void Rename(string source, string destination) => Alive(() => disk.Rename(source, destination));

    public void Delete(string path) => Alive(() => disk.Delete(path));

    public void SyncDirectory(string path) => Alive(() => disk.SyncDirectory(path));

    public IDisposable LockDirectory(string directory) => Alive(() => disk.LockDirectory(directory));

    public void Dispose() => _open.Dispose();

    private void ThrowIfKilled()
    {
        if (_killed)
        {
            throw new IOException("The process was killed.");
        }
    }

    private T Alive<T>(Func<T> operation)
    {
        ThrowIfKilled();
        return operation();
    }

    private void Alive(Action operation)
    {
        ThrowIfKilled();
        operation();
    }

    private sealed class GatedFile(GatedFileSystem owner, IStorageFile file) : IStorageFile
    {
        public long Length => file.Length;

        public int Read(Span<byte> destination, long offset)
        {
            owner.ThrowIfKilled();
            return file.Read(destination, offset);
        }

        public void Write(ReadOnlySpan<byte> source, long offset)
        {
            owner._open.Wait();
            owner.ThrowIfKilled();
            file.Write(source, offset);
        }

        public void SetLength(long length)
        {
            owner.ThrowIfKilled();
            file.SetLength(length);
        }

        public void Sync()
        {
            owner.ThrowIfKilled();
            file.Sync();
        }

        public void Dispose() => file.Dispose();
    }
}
