using Vellum.Storage.Chunks;
using Vellum.Storage.Files;

namespace Vellum.Storage.Tests.Support;

/// <summary>
/// Passes every operation to a <see cref="SimulatedFileSystem"/>, except that it can stop the
/// "process" just before a chosen operation, as a kill or a failed fsync would: the operation
/// fails and nothing reaches the disk, but the disk keeps power and its page cache.
/// </summary>
internal sealed class ProcessCrashFileSystem(SimulatedFileSystem disk) : ForwardingFileSystem(disk)
{
    /// <summary>Fail the fsync of a chunk file that ends with a chunk trailer (a close in progress).</summary>
    public bool CrashBeforeSyncingAClosedChunk { get; set; }

    /// <summary>Fail every directory fsync.</summary>
    public bool CrashBeforeSyncingTheDirectory { get; set; }

    public override void SyncDirectory(string path)
    {
        if (CrashBeforeSyncingTheDirectory)
        {
            throw new IOException("The process was killed before the directory fsync.");
        }

        base.SyncDirectory(path);
    }

    protected override IStorageFile Wrap(string path, IStorageFile file) => new CrashingFile(this, file);

    private sealed class CrashingFile(ProcessCrashFileSystem owner, IStorageFile file) : ForwardingFile(file)
    {
        public override void Sync()
        {
            if (owner.CrashBeforeSyncingAClosedChunk && EndsWithChunkTrailer())
            {
                throw new IOException("The process was killed before the closing chunk's fsync.");
            }

            base.Sync();
        }

        private bool EndsWithChunkTrailer()
        {
            var size = ChunkTrailer.RecordSize(ChunkFile.FormatVersion);
            if (Length < ChunkFile.HeaderSize + size)
            {
                return false;
            }

            var record = new byte[size];
            _ = Read(record, Length - record.Length);
            return RecordFrame.TryReadHeader(record, out var type, out var length, out _)
                && type == RecordType.ChunkTrailer
                && length == ChunkTrailer.PayloadSize(ChunkFile.FormatVersion)
                && RecordFrame.HasValidChecksum(record);
        }
    }
}
