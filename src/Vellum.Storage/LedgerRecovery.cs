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
    MerkleTree Tree,
    long LastView,
    SignatureEntry? LastSignature);

/// <summary>
/// Opens a ledger directory: checks every closed chunk's header, trailer and key directory,
/// repairs a torn tail of the open chunk (reporting it), finishes a close that a crash
/// interrupted, restores the Merkle tree from the checkpoint or rebuilds it, and checks the tree
/// against the last signed root in the files. Corruption that repair must not hide throws
/// <see cref="LedgerCorruptException"/>.
/// </summary>
internal sealed class LedgerRecovery(LedgerOptions options, ChunkFileCache files)
{
    internal const string NodesFileName = "merkle.nodes";
    private readonly IStorageFileSystem _fileSystem = options.FileSystem;
    private readonly string _directory = options.Directory;
    private readonly ILogger _logger = options.Logger;
    private readonly ChunkFileCache _files = files;
    private readonly List<ClosedChunk> _closed = [];
    private readonly List<Sha256Hash> _writerLeaves = [];
    private ChunkWriter? _writer;
    private long _lastView;
    private (SignatureEntry Entry, string Path, long Offset)? _lastSignature;

    public RecoveredLedger Recover()
    {
        _fileSystem.CreateDirectory(_directory);
        var directoryLock = _fileSystem.LockDirectory(_directory);
        FileMerkleNodeStore? nodes = null;
        try
        {
            Checkpoint.RemoveLeftovers(_fileSystem, _directory);
            LoadChunks();
            var lastSeqno = _writer!.IsEmpty ? (_closed.Count > 0 ? _closed[^1].LastSeqno : 0) : _writer.LastSeqno;
            var lastSignature = FindLastSignature();
            var nodesFile = _fileSystem.OpenOrCreate(Path.Combine(_directory, NodesFileName));
            nodes = new FileMerkleNodeStore(nodesFile, nodesFile.Length / Sha256Hash.Size);
            var tree = RestoreTree(nodes, lastSeqno, lastSignature);
            return new RecoveredLedger(directoryLock, _closed, _writer, nodes, tree, _lastView, lastSignature?.Entry);
        }
        catch
        {
            nodes?.Dispose();
            directoryLock.Dispose();
            throw;
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

        _writer ??= new ChunkWriter(_directory, expectedFirst, null, ChunkFile.HeaderSize);
        if (_writer.FirstSeqno != expectedFirst)
        {
            throw new LedgerCorruptException($"the open chunk {_writer.OpenPath} does not follow the last closed chunk.");
        }
    }

    /// <summary>Checks a closed chunk through its freshly opened file, then leaves the handle in the cache.</summary>
    private ClosedChunk LoadClosed(IStorageFile file, string path, long first, long last)
    {
        ClosedChunk chunk;
        try
        {
            chunk = ClosedChunk.Load(_files, file, path, first, last);
        }
        catch
        {
            file.Dispose();
            throw;
        }

        _files.Adopt(first, file).Dispose();
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

    /// <summary>Repairs and indexes an open chunk; returns it as closed when a crash interrupted only its rename.</summary>
    private ClosedChunk? RecoverOpenChunk(string path, long first)
    {
        var file = _fileSystem.OpenExisting(path);
        var length = file.Length;
        Span<byte> header = stackalloc byte[ChunkFile.HeaderSize];
        var headerProblem = file.Read(header, 0) == header.Length ? ChunkFile.CheckHeader(header, first) : "the file is shorter than its header";
        if (headerProblem is not null)
        {
            file.Dispose();
            if (length > ChunkFile.HeaderSize)
            {
                // The header is synced before any entry is written, so damage here is not a torn write.
                throw new LedgerCorruptException(path, 0, headerProblem);
            }

            _logger.LogWarning("Removing chunk file {Path}: its creation did not finish ({Problem}).", path, headerProblem);
            _fileSystem.Delete(path);
            _fileSystem.SyncDirectory(_directory);
            return null;
        }

        var writer = new ChunkWriter(_directory, first, _files.Adopt(first, file), length);
        var scanner = new ChunkScanner(file, length);
        var footerStart = -1L;
        var trailerEnd = -1L;
        while (scanner.Next(out var offset, out var type, out var payload))
        {
            if (type == RecordType.Entry && footerStart < 0)
            {
                AdoptEntry(writer, path, offset, payload);
            }
            else if (type == RecordType.ChunkTrailer)
            {
                trailerEnd = scanner.EndOfSoundRecords;
            }
            else if (type != RecordType.Entry && footerStart < 0)
            {
                footerStart = offset;
            }
        }

        if (trailerEnd == length && !writer.IsEmpty)
        {
            _logger.LogWarning("Finishing the close of chunk {Path}, which a crash interrupted.", path);
            _fileSystem.Rename(path, writer.ClosedPath);
            _fileSystem.SyncDirectory(_directory);
            _writerLeaves.Clear();
            var closed = ClosedChunk.Load(_files, file, writer.ClosedPath, writer.FirstSeqno, writer.LastSeqno);
            writer.FileLease!.Value.Dispose();
            return closed;
        }

        var cut = footerStart >= 0 ? footerStart : scanner.EndOfSoundRecords;
        if (cut < length)
        {
            _logger.LogWarning(
                "Truncated the tail of {Path} at offset {Offset}: {Bytes} bytes after the last sound entry ({Problem}).",
                path,
                cut,
                length - cut,
                footerStart >= 0 ? "an unfinished chunk close" : scanner.Problem);
            file.SetLength(cut);
            writer.Buffer.Truncate(cut);
        }

        // What survived a crash may still sit in the page cache only; make it as durable as it looks.
        file.Sync();
        _writer = writer;
        return null;
    }

    private void AdoptEntry(ChunkWriter writer, string path, long offset, ReadOnlySpan<byte> entry)
    {
        EntryHeader header;
        try
        {
            header = EntryCodec.Validate(entry);
        }
        catch (EntryFormatException error)
        {
            throw new LedgerCorruptException(path, offset, $"a record with a sound checksum holds a malformed entry: {error.Message}");
        }

        var expected = writer.LastSeqno + 1;
        if (header.Id.Seqno != expected || header.Id.View < _lastView)
        {
            throw new LedgerCorruptException(path, offset, $"entry {header.Id} is out of sequence (expected seqno {expected}, view at least {_lastView})");
        }

        _lastView = header.Id.View;
        writer.Adopt(offset, entry, header.Kind, header.Id.Seqno);
        _writerLeaves.Add(header.Leaf(Sha256Hash.Of(entry)));
        if (header.Kind == EntryKind.Signature)
        {
            _lastSignature = (EntryCodec.ReadSignature(entry), path, offset);
        }
    }

    private (SignatureEntry Entry, string Path, long Offset)? FindLastSignature()
    {
        if (_lastSignature is not null || _closed.Count == 0)
        {
            return _lastSignature;
        }

        // Chunks close only after a signature, so the last closed chunk's last entry is one.
        var chunk = _closed[^1];
        var offset = chunk.EntryRecordOffset(chunk.LastSeqno);
        var entry = chunk.ReadEntry(chunk.LastSeqno);
        var header = EntryCodec.Validate(entry);
        if (header.Kind != EntryKind.Signature)
        {
            throw new LedgerCorruptException(chunk.Path, offset, "a closed chunk does not end with a signature");
        }

        _lastView = Math.Max(_lastView, header.Id.View);
        return (EntryCodec.ReadSignature(entry), chunk.Path, offset);
    }

    /// <summary>
    /// The tree over every entry: from the checkpoint when there is a sound one, else rebuilt from
    /// the chunk files; either way checked against the last signed root before it is trusted.
    /// </summary>
    private MerkleTree RestoreTree(FileMerkleNodeStore nodes, long lastSeqno, (SignatureEntry Entry, string Path, long Offset)? lastSignature)
    {
        var tree = FromCheckpoint(nodes, lastSeqno);
        if (tree is not null)
        {
            if (CompleteAndCheck(tree, lastSeqno, lastSignature))
            {
                return tree;
            }

            _logger.LogWarning("The Merkle tree restored from the checkpoint disagrees with the last signed root; rebuilding it from the chunk files.");
        }

        nodes.Truncate(0);
        tree = new MerkleTree(nodes);
        tree.Append(Sha256Hash.Zero);
        if (CompleteAndCheck(tree, lastSeqno, lastSignature))
        {
            return tree;
        }

        var (entry, path, offset) = lastSignature!.Value;
        throw new LedgerCorruptException(path, offset, $"the signature signs root {entry.Root} over the seqnos before {entry.TreeSize}, but the entries in the chunk files hash to {tree.RootAt(entry.TreeSize)}");
    }

    /// <summary>Appends the leaves the tree lacks; true when it then matches the last signed root.</summary>
    private bool CompleteAndCheck(MerkleTree tree, long lastSeqno, (SignatureEntry Entry, string Path, long Offset)? lastSignature)
    {
        foreach (var chunk in _closed.Where(chunk => chunk.LastSeqno >= tree.Size))
        {
            Replay(chunk, tree);
        }

        var writerFirst = _writer!.FirstSeqno;
        for (var seqno = tree.Size; seqno <= lastSeqno; seqno++)
        {
            tree.Append(_writerLeaves[(int)(seqno - writerFirst)]);
        }

        Invariant.Check(tree.Size == lastSeqno + 1, "the tree has a leaf per seqno and the zero leaf");
        if (lastSignature is not { } signature)
        {
            return true;
        }

        if (tree.RootAt(signature.Entry.TreeSize) != signature.Entry.Root)
        {
            return false;
        }

        if (!signature.Entry.HasValidSignature())
        {
            throw new LedgerCorruptException(signature.Path, signature.Offset, "the last signature does not verify under its node certificate");
        }

        return true;
    }

    private MerkleTree? FromCheckpoint(FileMerkleNodeStore nodes, long lastSeqno)
    {
        var checkpoint = Checkpoint.Load(_fileSystem, _directory, out var problem);
        if (checkpoint is { } found && found.TreeSize > lastSeqno + 1)
        {
            throw new LedgerCorruptException($"the checkpoint covers seqnos up to {found.TreeSize - 1}, which were durable, but the chunk files end at {lastSeqno}.");
        }

        if (checkpoint is { } usable && nodes.Count >= MerkleShape.NodeCount(usable.TreeSize))
        {
            nodes.Truncate(MerkleShape.NodeCount(usable.TreeSize));
            var tree = new MerkleTree(nodes);
            if (tree.Root == usable.Root)
            {
                return tree;
            }

            problem = "the Merkle node file disagrees with the checkpoint";
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation("Rebuilding the Merkle tree from the chunk files: {Problem}.", problem ?? "the Merkle node file is shorter than the checkpoint");
        }
        return null;
    }

    private static void Replay(ClosedChunk chunk, MerkleTree tree)
    {
        using var lease = chunk.OpenFile();
        var scanner = new ChunkScanner(lease.File, lease.File.Length);
        while (scanner.Next(out var offset, out var type, out var payload) && type == RecordType.Entry)
        {
            var header = EntryCodec.ReadHeader(payload);
            if (header.Id.Seqno == tree.Size)
            {
                tree.Append(header.Leaf(Sha256Hash.Of(payload)));
            }
            else if (header.Id.Seqno > tree.Size)
            {
                throw new LedgerCorruptException(chunk.Path, offset, $"entry seqno {header.Id.Seqno} follows a gap; expected {tree.Size}");
            }
        }

        if (tree.Size <= chunk.LastSeqno)
        {
            throw new LedgerCorruptException(chunk.Path, scanner.EndOfSoundRecords, scanner.Problem ?? "the chunk ends before its last entry");
        }
    }
}
