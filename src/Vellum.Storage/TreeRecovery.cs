using Microsoft.Extensions.Logging;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Merkle;
using Vellum.Storage.Chunks;
using Vellum.Storage.Files;

namespace Vellum.Storage;

/// <summary>
/// Restores the Merkle tree on open: from the checkpoint when it is sound, else rebuilt from the
/// chunk files; either way checked against the last signed root before it is trusted. A rebuild
/// writes nodes out as it goes, so memory stays within <see cref="LedgerOptions.MaxPendingBytes"/>.
/// Until the ledger is open, the leaves the node store recomputes come from the chunks it found.
/// </summary>
internal sealed class TreeRecovery(LedgerOptions options, IReadOnlyList<ClosedChunk> closed, ChunkWriter writer, IReadOnlyList<Sha256Hash> writerLeaves)
{
    public const string NodesFileName = "merkle.nodes";
    private readonly IStorageFileSystem _fileSystem = options.FileSystem;
    private readonly string _directory = options.Directory;
    private readonly ILogger _logger = options.Logger;

    private long LastSeqno => writer.IsEmpty ? (closed.Count > 0 ? closed[^1].LastSeqno : 0) : writer.LastSeqno;

    public FileMerkleNodeStore OpenNodes()
    {
        var file = _fileSystem.OpenOrCreate(Path.Combine(_directory, NodesFileName));
        return new FileMerkleNodeStore(file, file.Length / Sha256Hash.Size);
    }

    public (MerkleTree Tree, LedgerNodeStore Store) Restore(FileMerkleNodeStore nodes, StoredSignature? lastSignature)
    {
        var restored = FromCheckpoint(nodes);
        if (restored is var (tree, store))
        {
            if (CompleteAndCheck(tree, nodes, lastSignature))
            {
                return (tree, store);
            }

            _logger.LogWarning("The Merkle tree restored from the checkpoint disagrees with the last signed root; rebuilding it from the chunk files.");
        }

        // The checkpoint would vouch for nodes about to be rewritten and not yet synced: drop it.
        _fileSystem.Delete(Path.Combine(_directory, Checkpoint.FileName));
        nodes.Truncate(0);
        nodes.ApplyCut();
        store = new LedgerNodeStore(nodes, 0, RecoveredLeaves);
        tree = new MerkleTree(store);
        tree.Append(Sha256Hash.Zero);
        if (CompleteAndCheck(tree, nodes, lastSignature))
        {
            return (tree, store);
        }

        var signature = lastSignature!;
        throw new LedgerCorruptException(signature.Path, signature.Offset, $"the signature signs root {signature.Entry.Root} over the seqnos before {signature.Entry.TreeSize}, but the entries in the chunk files hash to {tree.RootAt(signature.Entry.TreeSize)}");
    }

    private (MerkleTree Tree, LedgerNodeStore Store)? FromCheckpoint(FileMerkleNodeStore nodes)
    {
        var checkpoint = Checkpoint.Load(_fileSystem, _directory, out var problem);
        if (checkpoint is { } found && found.TreeSize > LastSeqno + 1)
        {
            throw new LedgerCorruptException($"the checkpoint covers seqnos up to {found.TreeSize - 1}, which were durable, but the chunk files end at {LastSeqno}.");
        }

        if (checkpoint is { } usable && nodes.Count >= LedgerNodeStore.StoredCount(usable.TreeSize))
        {
            nodes.Truncate(LedgerNodeStore.StoredCount(usable.TreeSize));
            nodes.ApplyCut();
            var store = new LedgerNodeStore(nodes, usable.TreeSize, RecoveredLeaves);
            var tree = new MerkleTree(store);
            if (tree.Root == usable.Root)
            {
                return (tree, store);
            }

            problem = "the Merkle node file disagrees with the checkpoint";
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            _logger.LogInformation("Rebuilding the Merkle tree from the chunk files: {Problem}.", problem ?? "the Merkle node file is shorter than the checkpoint");
        }

        return null;
    }

    /// <summary>Appends the leaves the tree lacks; true when it then matches the last signed root.</summary>
    private bool CompleteAndCheck(MerkleTree tree, FileMerkleNodeStore nodes, StoredSignature? lastSignature)
    {
        foreach (var chunk in closed.Where(chunk => chunk.LastSeqno >= tree.Size))
        {
            Replay(chunk, tree, nodes);
        }

        for (var seqno = tree.Size; seqno <= LastSeqno; seqno++)
        {
            tree.Append(writerLeaves[(int)(seqno - writer.FirstSeqno)]);
        }

        Invariant.Check(tree.Size == LastSeqno + 1, "the tree has a leaf per seqno and the zero leaf");
        if (lastSignature is null)
        {
            return true;
        }

        if (tree.RootAt(lastSignature.Entry.TreeSize) != lastSignature.Entry.Root)
        {
            return false;
        }

        if (!lastSignature.Entry.HasValidSignature())
        {
            throw new LedgerCorruptException(lastSignature.Path, lastSignature.Offset, "the last signature does not verify under its node certificate");
        }

        return true;
    }

    private void Replay(ClosedChunk chunk, MerkleTree tree, FileMerkleNodeStore nodes)
    {
        using var lease = chunk.OpenFile();
        var scanner = new ChunkScanner(lease.File, lease.File.Length);
        // The k-th entry record of a chunk holds seqno first + k; CheckEntry confirms it.
        for (var seqno = chunk.FirstSeqno; scanner.Next(out var offset, out var type, out var payload) && type == RecordType.Entry; seqno++)
        {
            if (seqno < tree.Size)
            {
                continue;
            }

            tree.Append(EntryLeaf.Of(ChunkFile.CanonicalEntry(payload, chunk.Path, offset, seqno, chunk.Codec, learn: false, out _)));
            nodes.WriteBehindOver(options.MaxPendingBytes);
        }

        if (tree.Size <= chunk.LastSeqno)
        {
            throw new LedgerCorruptException(chunk.Path, scanner.EndOfSoundRecords, scanner.Problem ?? "the chunk ends before its last entry");
        }
    }

    /// <summary>
    /// The leaves of <paramref name="count"/> seqnos from <paramref name="first"/>: the zero leaf,
    /// the open chunk's from its scan, and a closed chunk's from its entries, read as one run.
    /// </summary>
    private Sha256Hash[] RecoveredLeaves(long first, int count)
    {
        var leaves = new Sha256Hash[count];
        var entries = new List<byte[]>();
        for (var i = 0; i < count;)
        {
            var seqno = first + i;
            if (seqno == 0)
            {
                leaves[i++] = Sha256Hash.Zero;
            }
            else if (!writer.IsEmpty && seqno >= writer.FirstSeqno)
            {
                leaves[i++] = writerLeaves[(int)(seqno - writer.FirstSeqno)];
            }
            else
            {
                var chunk = closed.First(chunk => chunk.Contains(seqno));
                entries.Clear();
                chunk.ReadEntries(seqno, Math.Min(chunk.LastSeqno, first + count - 1), entries);
                foreach (var entry in entries)
                {
                    leaves[i++] = EntryLeaf.Of(entry);
                }
            }
        }

        return leaves;
    }
}
