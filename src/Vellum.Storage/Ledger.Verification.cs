using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Merkle;
using Vellum.Storage.Chunks;

namespace Vellum.Storage;

/// <summary>Full verification: rereads every file and checks every byte against the tree and the signatures.</summary>
public sealed partial class Ledger
{
    /// <summary>
    /// Rereads every chunk and checks every record's checksum, every entry's format and seqno,
    /// every closed chunk's footer byte for byte, and every signature's root and ECDSA signature
    /// against a Merkle tree recomputed from the entries, comparing each of its nodes with the
    /// stored one. Costs a read of the whole ledger and a hash per entry and node.
    /// </summary>
    /// <exception cref="LedgerCorruptException">Anything differs; names the file and offset.</exception>
    public Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        // A truncation beside it changes the files it reads: it then starts again.
        ReadConsistently(() => VerifyOnce(cancellationToken));
        return Task.CompletedTask;
    }

    private bool VerifyOnce(CancellationToken cancellationToken)
    {
        List<ClosedChunk> closed;
        long lastSeqno;
        lock (_gate)
        {
            ThrowIfUnusable();
            closed = [.. _closedChunks];
            lastSeqno = _lastSeqno;
        }

        var recomputed = new MerkleTree(new CheckingNodeStore(ReadStoredNode, Path.Combine(_options.Directory, TreeRecovery.NodesFileName)));
        recomputed.Append(Sha256Hash.Zero);
        foreach (var chunk in closed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            chunk.Verify((_, entry, offset) => AppendChecked(recomputed, chunk.Path, offset, entry));
        }

        for (var seqno = recomputed.Size; seqno <= lastSeqno; seqno++)
        {
            AppendChecked(recomputed, "the open chunk", -1, ReadEntryOnce(seqno));
        }

        return true;
    }

    private Sha256Hash ReadStoredNode(long position)
    {
        lock (_gate)
        {
            return _nodes.Read(position);
        }
    }

    internal static void AppendChecked(MerkleTree recomputed, string path, long offset, byte[] entry)
    {
        var header = EntryCodec.ReadHeader(entry);
        if (header.Kind == EntryKind.Signature)
        {
            var signature = EntryCodec.ReadSignature(entry);
            if (signature.Root != recomputed.Root || !signature.HasValidSignature())
            {
                throw new LedgerCorruptException(path, offset, $"signature {header.Id} does not sign the root over the entries before it");
            }
        }

        recomputed.Append(header.Leaf(Sha256Hash.Of(entry)));
    }
}
