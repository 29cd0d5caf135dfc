using Vellum.Storage.Chunks;
using Vellum.Storage.Files;

namespace Vellum.Storage.Tests.Support;

/// <summary>
/// Passes every operation to a <see cref="SimulatedFileSystem"/>, except that it can stop the
/// "process" just before a chosen operation, as a kill or a failed fsync would: the operation
/// fails and nothing reaches the disk, but the disk keeps power and its page cache.
/// </summary>
internal sealed class ProcessCrashFileSystem(SimulatedFileSystem disk) : IStorageFileSystem
{
    /// <summary>Fail the fsync of a chunk file that ends with a chunk trailer (a close in progress).</summary>
    public bool CrashBeforeSyncingAClosedChunk { get; set; }

    /// <summary>Fail every directory fsync.</summary>
    public bool CrashBeforeSyncingTheDirectory { get; set; }

    public IStorageFile OpenOrCreate(string path) => new CrashingFile(this, disk.OpenOrCreate(path));

    public IStorageFile OpenExisting(string path) => new CrashingFile(this, disk.OpenExisting(path));

    public bool FileExists(string path) => disk.FileExists(path);

    public IReadOnlyList<string> ListFiles(string directory) => disk.ListFiles(directory);

    public bool DirectoryExists(string path) => disk.DirectoryExists(path);

    public void CreateDirectory(string path) => disk.CreateDirectory(path);

    public void Rename(string source, string destination) => disk.Rename(source, destination);

    public void Delete(string path) => disk.Delete(path);

    public void SyncDirectory(string path)
    {
        if (CrashBeforeSyncingTheDirectory)
        {
            throw new IOException("The process was killed before the directory fsync.");
        }

        disk.SyncDirectory(path);
    }

    public IDisposable LockDirectory(string directory) => disk.LockDirectory(directory);

    private sealed class CrashingFile(ProcessCrashFileSystem owner, IStorageFile file) : IStorageFile
    {
        public long Length => file.Length;

        public int Read(Span<byte> destination, long offset) => file.Read(destination, offset);

        public void Write(ReadOnlySpan<byte> source, long offset) => file.Write(source, offset);

        public void SetLength(long length) => file.SetLength(length);

        public void Sync()
        {
            if (owner.CrashBeforeSyncingAClosedChunk && EndsWithChunkTrailer())
            {
                throw new IOException("The process was killed before the closing chunk's fsync.");
            }

            file.Sync();
        }

        public void Dispose() => file.Dispose();

        private bool EndsWithChunkTrailer()
        {
            var size = ChunkTrailer.RecordSize(ChunkFile.FormatVersion);
            if (file.Length < ChunkFile.HeaderSize + size)
            {
                return false;
            }

            var record = new byte[size];
            _ = file.Read(record, file.Length - record.Length);
            return RecordFrame.TryReadHeader(record, out var type, out var length, out _)
                && type == RecordType.ChunkTrailer
                && length == ChunkTrailer.PayloadSize(ChunkFile.FormatVersion)
                && RecordFrame.HasValidChecksum(record);
        }
    }
}
