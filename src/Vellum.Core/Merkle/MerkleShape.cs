using System.Numerics;

namespace Vellum.Core.Merkle;

/// <summary>
/// Index arithmetic of the RFC 9162 tree shape and of the post-order node layout in which
/// <see cref="IMerkleNodeStore"/> keeps complete subtrees. Pure functions of sizes and indices.
/// </summary>
/// <remarks>
/// The layout appends each leaf followed by every parent it completes, lowest level first, so
/// that the store only ever grows at its end. After <c>n</c> leaves it holds
/// <c>2n − popcount(n)</c> nodes, and the complete subtree at <c>level</c> covering leaves
/// <c>[index·2^level, (index+1)·2^level)</c> sits at a position computed in O(1).
/// </remarks>
public static class MerkleShape
{
    /// <summary>The number of nodes the post-order layout holds for <paramref name="leafCount"/> leaves.</summary>
    public static long NodeCount(long leafCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leafCount);
        return (2 * leafCount) - BitOperations.PopCount((ulong)leafCount);
    }

    /// <summary>
    /// The leaf count whose layout holds exactly <paramref name="nodeCount"/> nodes, or -1 when no
    /// leaf count does (the store was cut in the middle of a leaf's parents).
    /// </summary>
    public static long LeafCountForNodeCount(long nodeCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nodeCount);

        // NodeCount is strictly increasing and NodeCount(n) >= n, so binary search [0, nodeCount].
        long low = 0, high = nodeCount;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            var count = NodeCount(middle);
            if (count == nodeCount)
            {
                return middle;
            }

            if (count < nodeCount)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }

    /// <summary>The store position of the complete subtree at <paramref name="level"/> number <paramref name="index"/>.</summary>
    public static long NodePosition(int level, long index)
    {
        Invariant.Check(level is >= 0 and < 63 && index >= 0, "node coordinates are in range");

        // The node is written last among the parents completed by leaf (index+1)·2^level − 1,
        // except for the parents above it, which that same leaf also completes.
        var leavesAfter = (index + 1) << level;
        var parentsAbove = BitOperations.TrailingZeroCount(leavesAfter) - level;
        return NodeCount(leavesAfter) - parentsAbove - 1;
    }

    /// <summary>The (level, index) of the complete subtree at store position <paramref name="position"/>: the inverse of <see cref="NodePosition"/>.</summary>
    public static (int Level, long Index) NodeAt(long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);

        // The node belongs to leaf n, the last whose own position NodeCount(n) is at or before it;
        // NodeCount(n) = 2n − popcount(n) lies in [2n − 63, 2n], so n is within 32 of position / 2.
        long low = position / 2, high = Math.Min(position, (position + 63) / 2);
        while (low < high)
        {
            var middle = low + ((high - low + 1) / 2);
            if (NodeCount(middle) <= position)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        var level = (int)(position - NodeCount(low));
        return (level, low >> level);
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/>, for n ≥ 2 (RFC 9162's k).</summary>
    public static long SplitPoint(long n)
    {
        Invariant.Check(n >= 2, "only a tree of two or more leaves splits");
        return 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));
    }

    /// <summary>
    /// The audit path's sibling ranges for leaf <paramref name="leaf"/> in a tree of
    /// <paramref name="size"/> leaves, from the leaf up; each range is an RFC 9162 subtree.
    /// </summary>
    public static List<(ProofSide Side, long Start, long End)> PathRanges(long leaf, long size)
    {
        if (size < 1 || leaf < 0 || leaf >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(leaf), $"Leaf {leaf} is not in a tree of {size} leaves.");
        }

        var ranges = new List<(ProofSide, long, long)>(64);
        long low = 0, high = size;
        while (high - low > 1)
        {
            var k = SplitPoint(high - low);
            if (leaf - low < k)
            {
                ranges.Add((ProofSide.Right, low + k, high));
                high = low + k;
            }
            else
            {
                ranges.Add((ProofSide.Left, low, low + k));
                low += k;
            }
        }

        ranges.Reverse();
        return ranges;
    }

    /// <summary>True when <paramref name="steps"/> have exactly the count and sides of the leaf's path.</summary>
    public static bool HasPathShape(long leaf, long size, IReadOnlyList<ProofStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (size < 1 || leaf < 0 || leaf >= size)
        {
            return false;
        }

        var expected = PathRanges(leaf, size);
        if (expected.Count != steps.Count)
        {
            return false;
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Side != steps[i].Side)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Splits the RFC 9162 subtree <c>[start, end)</c> into the complete aligned subtrees whose
    /// right fold is its hash, left to right, as (level, index) pairs.
    /// </summary>
    public static void DecomposeRange(long start, long end, List<(int Level, long Index)> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        Invariant.Check(0 <= start && start < end, "a subtree range is not empty");
        while (start < end)
        {
            var level = start == 0 ? 62 : BitOperations.TrailingZeroCount(start);
            while ((1L << level) > end - start)
            {
                level--;
            }

            into.Add((level, start >> level));
            start += 1L << level;
        }
    }
}
