namespace Vellum.Core.Merkle;

/// <summary>
/// An append-only Merkle tree of RFC 9162 shape with CCF's node rule
/// <c>SHA-256(left ‖ right)</c> and no domain-separation bytes.
/// </summary>
/// <remarks>
/// Only the frontier (one hash per set bit of the size, at most 63) is held in memory; every
/// complete subtree's hash lives in the <see cref="IMerkleNodeStore"/>, so roots at earlier sizes
/// and proofs read O(log² n) stored nodes and hash nothing but the right edge. Appending costs
/// one leaf write and, amortised, one interior hash and write. Not thread-safe: the owner
/// serialises access.
/// </remarks>
public sealed class MerkleTree
{
    private readonly IMerkleNodeStore _store;
    private readonly List<(int Level, Sha256Hash Hash)> _frontier = new(64);
    private readonly List<(int Level, long Index)> _scratch = new(64);

    /// <summary>Opens a tree over <paramref name="store"/>, restoring its frontier from the stored nodes.</summary>
    /// <exception cref="InvalidDataException">The store's node count matches no leaf count.</exception>
    public MerkleTree(IMerkleNodeStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        var size = MerkleShape.LeafCountForNodeCount(store.Count);
        if (size < 0)
        {
            throw new InvalidDataException($"A Merkle node store of {store.Count} nodes was cut between a leaf and its parents.");
        }

        RestoreFrontier(size);
    }

    /// <summary>The number of leaves.</summary>
    public long Size { get; private set; }

    /// <summary>The root over all leaves. The empty tree has no root.</summary>
    public Sha256Hash Root => RootAt(Size);

    /// <summary>Appends a leaf hash; its index is the previous <see cref="Size"/>.</summary>
    public void Append(in Sha256Hash leaf)
    {
        _store.Append(leaf);
        var level = 0;
        var hash = leaf;
        while (_frontier.Count > 0 && _frontier[^1].Level == level)
        {
            hash = Sha256Hash.OfPair(_frontier[^1].Hash, hash);
            _frontier.RemoveAt(_frontier.Count - 1);
            level++;
            _store.Append(hash);
        }

        _frontier.Add((level, hash));
        Size++;
    }

    /// <summary>The hash of leaf <paramref name="index"/>.</summary>
    public Sha256Hash Leaf(long index)
    {
        CheckSize(index + 1, nameof(index));
        return _store.Read(MerkleShape.NodePosition(0, index));
    }

    /// <summary>The root of the tree as it was when it had <paramref name="size"/> leaves.</summary>
    public Sha256Hash RootAt(long size)
    {
        if (size < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "The empty tree has no root.");
        }

        CheckSize(size, nameof(size));
        return size == Size ? FoldFrontier() : SubtreeHash(0, size);
    }

    /// <summary>The inclusion proof of leaf <paramref name="leaf"/> in the tree of <paramref name="size"/> leaves.</summary>
    public InclusionProof ProveInclusion(long leaf, long size)
    {
        CheckSize(size, nameof(size));
        var ranges = MerkleShape.PathRanges(leaf, size);
        var steps = new ProofStep[ranges.Count];
        for (var i = 0; i < ranges.Count; i++)
        {
            steps[i] = new ProofStep(ranges[i].Side, SubtreeHash(ranges[i].Start, ranges[i].End));
        }

        return new InclusionProof(leaf, size, steps);
    }

    /// <summary>The RFC 9162 consistency proof that the tree of <paramref name="newSize"/> leaves extends the one of <paramref name="oldSize"/>.</summary>
    public ConsistencyProof ProveConsistency(long oldSize, long newSize)
    {
        if (oldSize < 1 || oldSize > newSize)
        {
            throw new ArgumentOutOfRangeException(nameof(oldSize), oldSize, $"A consistency proof needs 1 ≤ old size ≤ new size ({newSize}).");
        }

        CheckSize(newSize, nameof(newSize));
        var nodes = new List<Sha256Hash>(64);

        // RFC 9162 §2.1.4.1, unrolled: each level appends its hash after the deeper levels' ones,
        // so hashes are collected top-down and reversed at the end.
        long low = 0, high = newSize, m = oldSize;
        var wholeOldTree = true;
        while (m != high - low)
        {
            var k = MerkleShape.SplitPoint(high - low);
            if (m <= k)
            {
                nodes.Add(SubtreeHash(low + k, high));
                high = low + k;
            }
            else
            {
                nodes.Add(SubtreeHash(low, low + k));
                low += k;
                m -= k;
                wholeOldTree = false;
            }
        }

        if (!wholeOldTree)
        {
            nodes.Add(SubtreeHash(low, high));
        }

        nodes.Reverse();
        return new ConsistencyProof(oldSize, newSize, nodes);
    }

    /// <summary>Drops every leaf at or after <paramref name="size"/>, as a rollback does.</summary>
    public void TruncateTo(long size)
    {
        if (size < 0 || size > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"The tree has {Size} leaves.");
        }

        _store.Truncate(MerkleShape.NodeCount(size));
        RestoreFrontier(size);
    }

    /// <summary>The hash of the RFC 9162 subtree over leaves <c>[start, end)</c>.</summary>
    public Sha256Hash SubtreeHash(long start, long end)
    {
        CheckSize(end, nameof(end));
        _scratch.Clear();
        MerkleShape.DecomposeRange(start, end, _scratch);
        var hash = ReadNode(_scratch[^1]);
        for (var i = _scratch.Count - 2; i >= 0; i--)
        {
            hash = Sha256Hash.OfPair(ReadNode(_scratch[i]), hash);
        }

        return hash;
    }

    private Sha256Hash ReadNode((int Level, long Index) node) =>
        _store.Read(MerkleShape.NodePosition(node.Level, node.Index));

    private Sha256Hash FoldFrontier()
    {
        var hash = _frontier[^1].Hash;
        for (var i = _frontier.Count - 2; i >= 0; i--)
        {
            hash = Sha256Hash.OfPair(_frontier[i].Hash, hash);
        }

        return hash;
    }

    private void RestoreFrontier(long size)
    {
        _frontier.Clear();
        Size = size;
        if (size == 0)
        {
            return;
        }

        _scratch.Clear();
        MerkleShape.DecomposeRange(0, size, _scratch);
        foreach (var node in _scratch)
        {
            _frontier.Add((node.Level, ReadNode(node)));
        }
    }

    private void CheckSize(long size, string parameter)
    {
        if (size < 1 || size > Size)
        {
            throw new ArgumentOutOfRangeException(parameter, size, $"The tree has {Size} leaves.");
        }
    }
}
