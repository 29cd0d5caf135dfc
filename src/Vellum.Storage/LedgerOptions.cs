using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vellum.Storage.Files;

namespace Vellum.Storage;

/// <summary>Where a ledger lives and how it batches, bounds and reports its work.</summary>
public sealed class LedgerOptions
{
    /// <summary>The directory holding the chunk files, the Merkle node file and the checkpoint.</summary>
    public required string Directory { get; init; }

    /// <summary>A chunk closes after the first signature that finds it at least this large.</summary>
    public long MaxChunkBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// An open chunk may grow to this size while no signature arrives to close it; beyond it only
    /// a signature is accepted. Its entry offsets and postings are held in memory until it closes.
    /// At most 3 GiB, so that a chunk's entry offsets fit the 32-bit slots of its offsets table.
    /// </summary>
    public long MaxUnsignedChunkBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Appends wait while this many bytes are appended but not yet written.</summary>
    public int MaxPendingBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>At most this many chunk files stay open while idle; older ones are reopened when read.</summary>
    public int MaxOpenChunkFiles { get; init; } = 64;

    /// <summary>
    /// When true a background task writes and fsyncs as soon as there is work (group commit).
    /// When false nothing is written until <see cref="Ledger.FlushAsync"/> is called, which
    /// makes crash tests and simulations deterministic.
    /// </summary>
    public bool FlushInBackground { get; init; } = true;

    /// <summary>Where repairs and recovery are reported.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>The file system; the real disk unless a test or simulation injects another.</summary>
    public IStorageFileSystem FileSystem { get; init; } = DiskFileSystem.Instance;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxChunkBytes, 4096);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUnsignedChunkBytes, MaxChunkBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxUnsignedChunkBytes, 3L << 30);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingBytes, 1 << 20);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxPendingBytes, 1 << 30);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOpenChunkFiles, 2);
        ArgumentNullException.ThrowIfNull(Logger);
        ArgumentNullException.ThrowIfNull(FileSystem);
    }
}
