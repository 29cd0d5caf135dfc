using Vellum.Storage.Files;

namespace Vellum.Node.Tests.Support;

/// <summary>Passes every operation to another file system until <see cref="Fill"/>; from then on a write that would add bytes fails as on a full disk.</summary>
internal sealed class FullDiskFileSystem(IStorageFileSystem disk) : IStorageFileSystem
{
    private volatile bool _full;

    /// <summary>The disk is full from now on.</summary>
    public void Fill() => _full = true;

    public IStorageFile OpenOrCreate(string path) => new FullDiskFile(this, disk.OpenOrCreate(path));

    public IStorageFile OpenExisting(string path) => new FullDiskFile(this, disk.OpenExisting(path));

    public bool FileExists(string path) => disk.FileExists(path);

    public IReadOnlyList<string> ListFiles(string directory) => disk.ListFiles(directory);

    public bool DirectoryExists(string path) => disk.DirectoryExists(path);

    public void CreateDirectory(string path) => disk.CreateDirectory(path);

    public void Rename(string source, string destination) => disk.Rename(source, destination);

    public void Delete(string path) => disk.Delete(path);

    public void SyncDirectory(string path) => disk.SyncDirectory(path);

    public IDisposable LockDirectory(string directory) => disk.LockDirectory(directory);

    private void ThrowIfFull()
    {
        if (_full)
        {
            throw new IOException("No space left on device");
        }
    }

    private sealed class FullDiskFile(FullDiskFileSystem owner, IStorageFile file) : IStorageFile
    {
        public long Length => file.Length;

        public int Read(Span<byte> destination, long offset) => file.Read(destination, offset);

        public void Write(ReadOnlySpan<byte> source, long offset)
        {
            owner.ThrowIfFull();
            file.Write(source, offset);
        }

        public void SetLength(long length)
        {
            if (length > file.Length)
            {
                owner.ThrowIfFull();
            }

            file.SetLength(length);
        }

        public void Sync() => file.Sync();

        public void Dispose() => file.Dispose();
    }
}
