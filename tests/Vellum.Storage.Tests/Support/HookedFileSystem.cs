using Vellum.Storage.Files;

namespace Vellum.Storage.Tests.Support;

/// <summary>
/// Passes every operation to a <see cref="SimulatedFileSystem"/>, but first lets a test run code
/// when a file is read, so that it can change the ledger at an exact point of a read.
/// </summary>
internal sealed class HookedFileSystem(SimulatedFileSystem disk) : IStorageFileSystem
{
    /// <summary>Runs before each read, with the path the file was opened by.</summary>
    public Action<string>? BeforeRead { get; set; }

    public IStorageFile OpenOrCreate(string path) => new HookedFile(this, path, disk.OpenOrCreate(path));

    public IStorageFile OpenExisting(string path) => new HookedFile(this, path, disk.OpenExisting(path));

    public bool FileExists(string path) => disk.FileExists(path);

    public IReadOnlyList<string> ListFiles(string directory) => disk.ListFiles(directory);

    public bool DirectoryExists(string path) => disk.DirectoryExists(path);

    public void CreateDirectory(string path) => disk.CreateDirectory(path);

    public void Rename(string source, string destination) => disk.Rename(source, destination);

    public void Delete(string path) => disk.Delete(path);

    public void SyncDirectory(string path) => disk.SyncDirectory(path);

    public IDisposable LockDirectory(string directory) => disk.LockDirectory(directory);

    private sealed class HookedFile(HookedFileSystem owner, string path, IStorageFile file) : IStorageFile
    {
        public long Length => file.Length;

        public int Read(Span<byte> destination, long offset)
        {
            owner.BeforeRead?.Invoke(path);
            return file.Read(destination, offset);
        }

        public void Write(ReadOnlySpan<byte> source, long offset) => file.Write(source, offset);

        public void SetLength(long length) => file.SetLength(length);

        public void Sync() => file.Sync();

        public void Dispose() => file.Dispose();
    }
}
