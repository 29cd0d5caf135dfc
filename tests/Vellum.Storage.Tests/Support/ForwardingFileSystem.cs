using Vellum.Storage.Files;

namespace Vellum.Storage.Tests.Support;

/// <summary>
/// Passes every operation to another file system. A test's file system derives from it and
/// overrides only what it changes; the files it opens go through <see cref="Wrap"/>. Shared with
/// Vellum.Node.Tests, which links this file.
/// </summary>
internal abstract class ForwardingFileSystem(IStorageFileSystem disk) : IStorageFileSystem
{
    public IStorageFile OpenOrCreate(string path) => Wrap(path, disk.OpenOrCreate(path));

    public IStorageFile OpenExisting(string path) => Wrap(path, disk.OpenExisting(path));

    public bool FileExists(string path) => disk.FileExists(path);

    public IReadOnlyList<string> ListFiles(string directory) => disk.ListFiles(directory);

    public bool DirectoryExists(string path) => disk.DirectoryExists(path);

    public void CreateDirectory(string path) => disk.CreateDirectory(path);

    public void Rename(string source, string destination) => disk.Rename(source, destination);

    public void Delete(string path) => disk.Delete(path);

    public virtual void SyncDirectory(string path) => disk.SyncDirectory(path);

    public IDisposable LockDirectory(string directory) => disk.LockDirectory(directory);

    /// <summary>The file the test sees for <paramref name="file"/>, opened by <paramref name="path"/>.</summary>
    protected abstract IStorageFile Wrap(string path, IStorageFile file);
}
