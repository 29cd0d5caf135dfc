using Vellum.Core;
using Vellum.Core.Merkle;

namespace Vellum.Storage;

/// <summary>
/// The Merkle tree's node store as the ledger keeps it. Only complete subtrees of
/// 2^<see cref="LowLevels"/> leaves and up are written to the node file, in the post-order layout
/// of the tree whose leaves they are; the levels below are recomputed from the entries when read.
/// That keeps 1 byte of nodes per entry on disk instead of 64. The nodes appended last, of every
/// level, are also kept in memory, so roots and proofs near the end of the ledger read nothing.
/// Callers serialise access (the ledger's lock).
/// </summary>
internal sealed class LedgerNodeStore : IMerkleNodeStore
{
    /// <summary>The levels recomputed from the entries: a stored node covers at least 2^LowLevels leaves.</summary>
    public const int LowLevels = 6;
    private readonly FileMerkleNodeStore _stored;
    private readonly Sha256Hash[] _recent;
    private long _recentFrom;

    /// <summary>
    /// A store over <paramref name="stored"/>, which holds exactly the stored nodes of a tree of
    /// <paramref name="leafCount"/> leaves, keeping the last <paramref name="recentNodes"/> nodes
    /// appended (a power of two; 2 MiB of them by default) in memory.
    /// </summary>
    public LedgerNodeStore(FileMerkleNodeStore stored, long leafCount, Func<long, int, Sha256Hash[]> leavesAt, int recentNodes = 1 << 16)
    {
        Invariant.Check(stored.Count == StoredCount(leafCount), "the node file holds the stored nodes of the tree it is opened with");
        Invariant.Check(recentNodes > 0 && int.IsPow2(recentNodes), "the recent nodes fill a power-of-two ring");
        _recent = new Sha256Hash[recentNodes];
        _stored = stored;
        Count = MerkleShape.NodeCount(leafCount);
        _recentFrom = Count;
        LeavesAt = leavesAt;
    }

    /// <summary>
    /// Where leaf hashes come from: the leaves from a first index (the seqno) on, as many as asked,
    /// which make one run of entries to read. Recovery's scan of the chunks, then the open
    /// ledger's entries.
    /// </summary>
    public Func<long, int, Sha256Hash[]> LeavesAt { get; set; }

    public long Count { get; private set; }

    /// <summary>The number of nodes the node file holds for a tree of <paramref name="leafCount"/> leaves.</summary>
    public static long StoredCount(long leafCount) => MerkleShape.NodeCount(leafCount >> LowLevels);

    /// <summary>Where the node file holds the node at store position <paramref name="position"/>, or -1 when that node is recomputed instead.</summary>
    public static long StoredPosition(long position)
    {
        var (level, index) = MerkleShape.NodeAt(position);
        return level < LowLevels ? -1 : MerkleShape.NodePosition(level - LowLevels, index);
    }

    public void Append(in Sha256Hash node)
    {
        if (MerkleShape.NodeAt(Count).Level >= LowLevels)
        {
            _stored.Append(node);
        }

        _recent[Count & (_recent.Length - 1)] = node;
        Count++;
    }

    public Sha256Hash Read(long position)
    {
        Invariant.Check(position >= 0 && position < Count, "the node exists");
        if (position >= Math.Max(_recentFrom, Count - _recent.Length))
        {
            return _recent[position & (_recent.Length - 1)];
        }

        var (level, index) = MerkleShape.NodeAt(position);
        return level >= LowLevels ? _stored.Read(MerkleShape.NodePosition(level - LowLevels, index)) : Recompute(level, index);
    }

    public void Truncate(long count)
    {
        var leafCount = MerkleShape.LeafCountForNodeCount(count);
        Invariant.Check(leafCount >= 0 && count <= Count, "the tree is truncated to a whole number of its leaves");
        _stored.Truncate(StoredCount(leafCount));

        // A slot holds the last position appended to it; positions within the capacity of the
        // old end were not overwritten by later ones, which are the ones truncated away.
        _recentFrom = Math.Min(Math.Max(_recentFrom, Count - _recent.Length), count);
        Count = count;
    }

    private Sha256Hash Recompute(int level, long index)
    {
        var nodes = LeavesAt(index << level, 1 << level);
        for (var width = nodes.Length / 2; width >= 1; width /= 2)
        {
            for (var i = 0; i < width; i++)
            {
                nodes[i] = Sha256Hash.OfPair(nodes[2 * i], nodes[(2 * i) + 1]);
            }
        }

        return nodes[0];
    }
}
