using Microsoft.Extensions.Logging;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Merkle;
using Vellum.Storage.Chunks;
using Vellum.Storage.Files;

namespace Vellum.Storage;

/// <summary>What recovery hands to a newly opened <see cref="Ledger"/>.</summary>
internal sealed record RecoveredLedger(
    IDisposable DirectoryLock,
    List<ClosedChunk> ClosedChunks,
    ChunkWriter Writer,
    FileMerkleNodeStore Nodes,
    LedgerNodeStore NodeStore,
    MerkleTree Tree,
    long LastView,
    ViewHistory Views,
    SignatureEntry? LastSignature,
    long NextBatch);

/// <summary>A signature entry and where it is stored.</summary>
internal sealed record StoredSignature(SignatureEntry Entry, string Path, long Offset);

/// <summary>
/// Opens a ledger directory: checks every closed chunk's header, trailer and key directory,
/// repairs a torn tail of the open chunk (reporting it) but refuses damage to durable entries,
/// finishes a close that a crash interrupted, and restores the Merkle tree (see
/// <see cref="TreeRecovery"/>). Whatever it repaired is fsynced, names included, before the
/// ledger reports anything durable. Corruption throws <see cref="LedgerCorruptException"/>.
/// </summary>
internal sealed class LedgerRecovery(LedgerOptions options, ChunkFileCache files)
{
    private readonly IStorageFileSystem _fileSystem = options.FileSystem;
    private readonly string _directory = options.Directory;
    private readonly ILogger _logger = options.Logger;
    private readonly List<ClosedChunk> _closed = [];
    private readonly List<Sha256Hash> _writerLeaves = [];
    private ChunkWriter? _writer;
    private long _lastView;
    private ViewHistory _views = new();
    private int? _lastBatch;
    private StoredSignature? _lastSignature;

    public RecoveredLedger Recover()
    {
        PrepareDirectory();
        var directoryLock = _fileSystem.LockDirectory(_directory);
        FileMerkleNodeStore? nodes = null;
        try
        {
            Checkpoint.RemoveLeftovers(_fileSystem, _directory);
            LoadChunks();
            var trees = new TreeRecovery(options, _closed, _writer!, _writerLeaves);
            nodes = trees.OpenNodes();
            var (tree, nodeStore) = trees.Restore(nodes, _lastSignature);

            // A crash can leave repairs (and even a chunk file's name) only in the page cache;
            // make them durable before the ledger calls anything it recovered durable.
            _fileSystem.SyncDirectory(_directory);

            // Skipping a batch number marks everything written from now on as at least two
            // flushes after what survived (all of it now fsynced), as damage detection assumes.
            return new RecoveredLedger(directoryLock, _closed, _writer!, nodes, nodeStore, tree, _lastView, _views, _lastSignature?.Entry, (_lastBatch ?? 0) + 2);
        }
        catch
        {
            nodes?.Dispose();
            directoryLock.Dispose();
            throw;
        }
    }

    private void PrepareDirectory()
    {
        if (_fileSystem.DirectoryExists(_directory))
        {
            return;
        }

        _fileSystem.CreateDirectory(_directory);
        var parent = Path.GetDirectoryName(Path.GetFullPath(_directory));
        if (parent is not null)
        {
            _fileSystem.SyncDirectory(parent);
        }
    }

    private void LoadChunks()
    {
        var closedNames = new List<(long First, long Last, string Name)>();
        var openNames = new List<(long First, string Name)>();
        foreach (var name in _fileSystem.ListFiles(_directory))
        {
            if (ChunkFile.TryParseName(name, out var first, out var last))
            {
                if (last < 0)
                {
                    openNames.Add((first, name));
                }
                else
                {
                    closedNames.Add((first, last, name));
                }
            }
        }

        var expectedFirst = 1L;
        foreach (var (first, last, name) in closedNames.OrderBy(chunk => chunk.First))
        {
            RequireContiguous(expectedFirst, first, name);
            var path = Path.Combine(_directory, name);
            _closed.Add(LoadClosed(_fileSystem.OpenExisting(path), path, first, last));
            expectedFirst = last + 1;
        }

        ReadLastClosedSignature();
        _views = ViewHistory.Rebuild(1, expectedFirst - 1, ReadClosedView);
        foreach (var (first, name) in openNames.OrderBy(chunk => chunk.First))
        {
            RequireContiguous(expectedFirst, first, name);
            if (_writer is not null)
            {
                throw new LedgerCorruptException($"chunk {_writer.OpenPath} is unfinished but is followed by {name}.");
            }

            var closed = RecoverOpenChunk(Path.Combine(_directory, name), first);
            if (closed is not null)
            {
                _closed.Add(closed);
                expectedFirst = closed.LastSeqno + 1;
            }
        }

        _writer ??= ChunkWriter.New(_directory, expectedFirst);
    }

    /// <summary>Checks a closed chunk through its freshly opened file, then leaves the handle in the cache.</summary>
    private ClosedChunk LoadClosed(IStorageFile file, string path, long first, long last)
    {
        ClosedChunk chunk;
        try
        {
            chunk = ClosedChunk.Load(files, file, path, first, last);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        files.Adopt(first, file).Dispose();
        return chunk;
    }

    private static void RequireContiguous(long expectedFirst, long first, string name)
    {
        if (first != expectedFirst)
        {
            throw new LedgerCorruptException(first > expectedFirst
                ? $"seqnos {expectedFirst}-{first - 1} are missing: no chunk file holds them (next is {name})."
                : $"chunk {name} overlaps the chunk before it, which ends at seqno {expectedFirst - 1}.");
        }
    }

    /// <summary>Chunks close only after a signature, so the last closed chunk's last entry is one.</summary>
    private void ReadLastClosedSignature()
    {
        if (_closed.Count == 0)
        {
            return;
        }

        var chunk = _closed[^1];
        var offset = chunk.EntryRecordOffset(chunk.LastSeqno);
        var entry = chunk.ReadEntry(chunk.LastSeqno);
        if (EntryCodec.ReadHeader(entry).Kind != EntryKind.Signature)
        {
            throw new LedgerCorruptException(chunk.Path, offset, "a closed chunk does not end with a signature");
        }

        _lastSignature = new StoredSignature(EntryCodec.ReadSignature(entry), chunk.Path, offset);
        _lastView = _lastSignature.Entry.Header.Id.View;
    }

    /// <summary>The view of an entry in a closed chunk, read and checked.</summary>
    private long ReadClosedView(long seqno)
    {
        int low = 0, high = _closed.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var chunk = _closed[middle];
            if (seqno < chunk.FirstSeqno)
            {
                high = middle - 1;
            }
            else if (seqno > chunk.LastSeqno)
            {
                low = middle + 1;
            }
            else
            {
                return EntryCodec.ReadHeader(chunk.ReadEntry(seqno)).Id.View;
            }
        }

        throw new InvariantViolationException($"Invariant violated: seqno {seqno} is in no closed chunk, though they were found contiguous.");
    }

    /// <summary>Repairs and indexes an open chunk; returns it as closed when a crash interrupted only its close.</summary>
    private ClosedChunk? RecoverOpenChunk(string path, long first)
    {
        _lastBatch = null;
        var file = OpenChunkFile(path, first, out var version);
        if (file is null)
        {
            return null;
        }

        var length = file.Length;
        var writer = new ChunkWriter(_directory, first, files.Adopt(first, file), length, EntryRecordCodec.For(version));
        var scan = Scan(writer, path, new ChunkScanner(file, length));
        if (scan.Complete && !writer.IsEmpty)
        {
            return FinishClose(writer, file, path);
        }

        var cut = scan.FooterStart ?? scan.EndOfSoundRecords;
        if (cut < length)
        {
            if (scan.FooterStart is null)
            {
                RefuseDamageToDurableEntries(path, scan.Scanner, cut, writer.Codec.ChunkVersion);
            }

            _logger.LogWarning(
                "Truncated the tail of {Path} at offset {Offset}: {Bytes} bytes after the last sound entry ({Problem}).",
                path,
                cut,
                length - cut,
                scan.FooterStart is null ? scan.Scanner.Problem : "an unfinished chunk close");
            file.SetLength(cut);
            writer.Buffer.Truncate(cut);
        }

        // What survived may sit in the page cache only; make it as durable as it looks.
        file.Sync();
        _writer = writer;
        return null;
    }

    /// <summary>The open chunk's file, or null when its creation was cut short and it was removed.</summary>
    private IStorageFile? OpenChunkFile(string path, long first, out uint version)
    {
        var file = _fileSystem.OpenExisting(path);
        var problem = ChunkFile.ReadHeaderProblem(file, first, out version);
        if (problem is null)
        {
            return file;
        }

        var length = file.Length;
        file.Dispose();
        if (length > ChunkFile.HeaderSize)
        {
            // The header is synced before any entry is written, so damage here is not a torn write.
            throw new LedgerCorruptException(path, 0, problem);
        }

        _logger.LogWarning("Removing chunk file {Path}: its creation did not finish ({Problem}).", path, problem);
        _fileSystem.Delete(path);
        return null;
    }

    private OpenChunkScan Scan(ChunkWriter writer, string path, ChunkScanner scanner)
    {
        long? footerStart = null;
        var complete = false;
        while (scanner.Next(out var offset, out var type, out var payload))
        {
            complete = false;
            if (type == RecordType.Entry && footerStart is null)
            {
                AdoptEntry(writer, path, offset, payload);
                _lastBatch = scanner.Batch;
            }
            else if (type == RecordType.ChunkTrailer)
            {
                complete = footerStart is not null;
            }
            else
            {
                footerStart ??= offset;
            }
        }

        return new OpenChunkScan(scanner, footerStart, complete && scanner.Problem is null, scanner.EndOfSoundRecords);
    }

    /// <summary>
    /// Damage followed by a sound entry written by a later flush is not a torn write: that flush
    /// began only after the damaged record's flush had fsynced it.
    /// </summary>
    private void RefuseDamageToDurableEntries(string path, ChunkScanner scanner, long damagedOffset, uint chunkVersion)
    {
        var later = scanner.SoundEntryBatchesAfter(damagedOffset, chunkVersion);
        if (later.Count == 0)
        {
            return;
        }

        // The damaged record belongs to the batch of the last sound record or the next one, and to
        // no batch after the first sound record past the damage.
        var damagedBatchAtMost = _lastBatch is { } last && RecordFrame.BatchesAfter(last, later[0]) > 0 ? last + 1 : later[0];
        if (later.Any(batch => RecordFrame.BatchesAfter(damagedBatchAtMost, batch) > 0))
        {
            throw new LedgerCorruptException(path, damagedOffset, $"a record is damaged ({scanner.Problem}), yet entries written by later, fsynced flushes follow it: this is not a torn write");
        }
    }

    private ClosedChunk FinishClose(ChunkWriter writer, IStorageFile file, string path)
    {
        _logger.LogWarning("Finishing the close of chunk {Path}, which a crash interrupted.", path);
        file.Sync();
        _fileSystem.Rename(path, writer.ClosedPath);
        _fileSystem.SyncDirectory(_directory);
        _writerLeaves.Clear();
        var closed = ClosedChunk.Load(files, file, writer.ClosedPath, writer.FirstSeqno, writer.LastSeqno);
        writer.FileLease!.Value.Dispose();
        return closed;
    }

    private void AdoptEntry(ChunkWriter writer, string path, long offset, ReadOnlySpan<byte> stored)
    {
        var entry = ChunkFile.CanonicalEntry(stored, path, offset, writer.LastSeqno + 1, writer.Codec, learn: true, out var kind);
        var header = EntryCodec.ReadHeader(entry);
        if (header.Id.View < _lastView)
        {
            throw new LedgerCorruptException(path, offset, $"entry {header.Id} is in an earlier view than the entry before it ({_lastView})");
        }

        _lastView = header.Id.View;
        _views.Append(header.Id.View, header.Id.Seqno);
        writer.Adopt(offset, entry, kind, header.Id.Seqno);
        _writerLeaves.Add(header.Leaf(Sha256Hash.Of(entry)));
        if (kind == EntryKind.Signature)
        {
            _lastSignature = new StoredSignature(EntryCodec.ReadSignature(entry), path, offset);
        }
    }

    private readonly record struct OpenChunkScan(ChunkScanner Scanner, long? FooterStart, bool Complete, long EndOfSoundRecords);
}
