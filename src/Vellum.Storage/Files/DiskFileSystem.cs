using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vellum.Storage.Files;

/// <summary>The real file system: positional I/O, real fsync of files and directories.</summary>
public sealed class DiskFileSystem : IStorageFileSystem
{
    /// <summary>The one instance; it holds no state.</summary>
    public static DiskFileSystem Instance { get; } = new(readOnly: false);

    /// <summary>
    /// The real file system for readers only: files open for reading, so that ledger files on
    /// read-only media (a backup on a write-protected disk) can be verified, and every method that
    /// would change a file or a name throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public static DiskFileSystem ReadOnly { get; } = new(readOnly: true);

    private readonly bool _readOnly;

    private DiskFileSystem(bool readOnly)
    {
        _readOnly = readOnly;
    }

    /// <inheritdoc />
    public IStorageFile OpenOrCreate(string path) => new DiskFile(File.OpenHandle(path, FileMode.OpenOrCreate, Writable(), FileShare.ReadWrite | FileShare.Delete));

    /// <inheritdoc />
    public IStorageFile OpenExisting(string path) =>
        new DiskFile(File.OpenHandle(path, FileMode.Open, _readOnly ? FileAccess.Read : FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete));

    /// <inheritdoc />
    public bool FileExists(string path) => File.Exists(path);

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string directory) =>
        Directory.EnumerateFiles(directory).Select(path => Path.GetFileName(path)).ToList();

    /// <inheritdoc />
    public bool DirectoryExists(string path) => Directory.Exists(path);

    /// <inheritdoc />
    public void CreateDirectory(string path)
    {
        Writable();
        Directory.CreateDirectory(path);
    }

    /// <inheritdoc />
    public void Rename(string source, string destination)
    {
        Writable();
        File.Move(source, destination, overwrite: true);
    }

    /// <inheritdoc />
    public void Delete(string path)
    {
        Writable();
        File.Delete(path);
    }

    private FileAccess Writable() =>
        _readOnly ? throw new InvalidOperationException("This file system only reads: nothing may be created, renamed or deleted.") : FileAccess.ReadWrite;

    /// <inheritdoc />
    public void SyncDirectory(string path)
    {
        // .NET offers no directory fsync; without one, a new or renamed file's name can vanish
        // in a power loss even though its bytes were synced.
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        var fd = NativeMethods.Open(path, NativeMethods.ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {path} to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (NativeMethods.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {path} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    /// <inheritdoc />
    public IDisposable LockDirectory(string directory)
    {
        // .NET maps FileShare.None to an advisory flock on Unix, which another process's
        // FileShare.None open of the same file then fails to take.
        Writable();
        var path = Path.Combine(directory, "LOCK");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException error)
        {
            throw new IOException($"The ledger in {directory} is in use by another process ({path} is locked).", error);
        }
    }

    private sealed class DiskFile(SafeFileHandle handle) : IStorageFile
    {
        public long Length => RandomAccess.GetLength(handle);

        public int Read(Span<byte> destination, long offset)
        {
            var total = 0;
            while (total < destination.Length)
            {
                var read = RandomAccess.Read(handle, destination[total..], offset + total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }

        public void Write(ReadOnlySpan<byte> source, long offset) => RandomAccess.Write(handle, source, offset);

        public void SetLength(long length) => RandomAccess.SetLength(handle, length);

        public void Sync() => RandomAccess.FlushToDisk(handle);

        public void Dispose() => handle.Dispose();
    }

    private static class NativeMethods
    {
        // O_RDONLY opens a directory on every Unix; O_DIRECTORY would add nothing but a
        // per-platform constant (on Linux arm64 0x10000 is O_DIRECT, which directories refuse).
        public const int ReadOnly = 0;

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
    }
}
