using Vellum.Core;
using Vellum.Core.Merkle;

namespace Vellum.Core.Tests.Merkle;

public class MerkleTreeTests
{
    private const int LargestSize = 10_000;
    private static readonly Lazy<(MerkleTree Tree, Sha256Hash[] Leaves)> Big = new(() => Build(LargestSize, seed: 7));

    [Fact]
    public void RootsAtEverySmallSizeAndAtRandomLargeSizesMatchTheReference()
    {
        var (tree, leaves) = Big.Value;
        var random = new Random(11);
        var sizes = Enumerable.Range(1, 80).Concat(Enumerable.Range(0, 60).Select(_ => random.Next(1, LargestSize + 1))).Append(LargestSize);

        foreach (var size in sizes)
        {
            Assert.Equal(ReferenceMerkle.Root(leaves, 0, size), tree.RootAt(size));
        }

        Assert.Equal(tree.RootAt(LargestSize), tree.Root);
    }

    [Fact]
    public void KnownSmallRootsFollowTheCcfNodeRule()
    {
        var a = Sha256Hash.Of("a"u8);
        var b = Sha256Hash.Of("b"u8);
        var c = Sha256Hash.Of("c"u8);
        var tree = new MerkleTree(new InMemoryMerkleNodeStore());
        tree.Append(a);
        Assert.Equal(a, tree.Root);
        tree.Append(b);
        Assert.Equal(Sha256Hash.OfPair(a, b), tree.Root);

        // The lone right-edge leaf is promoted without hashing.
        tree.Append(c);
        Assert.Equal(Sha256Hash.OfPair(Sha256Hash.OfPair(a, b), c), tree.Root);
    }

    [Fact]
    public void EveryInclusionProofOfSmallTreesEqualsTheReferenceAndVerifies()
    {
        var (tree, leaves) = Big.Value;
        for (var size = 1; size <= 70; size++)
        {
            var root = tree.RootAt(size);
            for (var leaf = 0; leaf < size; leaf++)
            {
                var proof = tree.ProveInclusion(leaf, size);
                Assert.Equal(ReferenceMerkle.Path(leaves, leaf, 0, size), proof.Steps);
                Assert.True(proof.Verify(leaves[leaf], root), $"leaf {leaf} at size {size}");
            }
        }
    }

    [Fact]
    public void InclusionProofsAtRandomSizesUpToTenThousandVerify()
    {
        var (tree, leaves) = Big.Value;
        var random = new Random(13);
        for (var i = 0; i < 400; i++)
        {
            var size = random.Next(1, LargestSize + 1);
            var leaf = random.Next(size);
            var proof = tree.ProveInclusion(leaf, size);

            Assert.True(proof.Verify(leaves[leaf], tree.RootAt(size)), $"leaf {leaf} at size {size}");
            if (i % 20 == 0)
            {
                Assert.Equal(ReferenceMerkle.Path(leaves, leaf, 0, size), proof.Steps);
            }
        }
    }

    [Fact]
    public void FlippingAnyBitOfAnInclusionProofLeafOrRootMakesItFail()
    {
        var (tree, leaves) = Big.Value;
        var random = new Random(17);
        for (var i = 0; i < 12; i++)
        {
            var size = random.Next(2, LargestSize + 1);
            var leaf = random.Next(size);
            var proof = tree.ProveInclusion(leaf, size);
            var root = tree.RootAt(size);

            foreach (var flipped in EveryBitFlip(leaves[leaf]))
            {
                Assert.False(proof.Verify(flipped, root));
            }

            foreach (var flipped in EveryBitFlip(root))
            {
                Assert.False(proof.Verify(leaves[leaf], flipped));
            }

            for (var step = 0; step < proof.Steps.Count; step++)
            {
                foreach (var flipped in EveryBitFlip(proof.Steps[step].Sibling))
                {
                    var steps = proof.Steps.ToArray();
                    steps[step] = steps[step] with { Sibling = flipped };
                    Assert.False(new InclusionProof(leaf, size, steps).Verify(leaves[leaf], root));
                }

                var otherSide = proof.Steps.ToArray();
                otherSide[step] = otherSide[step] with { Side = 1 - otherSide[step].Side };
                Assert.False(new InclusionProof(leaf, size, otherSide).Verify(leaves[leaf], root));
            }

            Assert.False(new InclusionProof(leaf, size, proof.Steps.Skip(1).ToArray()).Verify(leaves[leaf], root));
        }
    }

    [Fact]
    public void EveryConsistencyProofBetweenSmallSizesEqualsTheReferenceAndVerifies()
    {
        var (tree, leaves) = Big.Value;
        for (var newSize = 1; newSize <= 48; newSize++)
        {
            for (var oldSize = 1; oldSize <= newSize; oldSize++)
            {
                var proof = tree.ProveConsistency(oldSize, newSize);
                Assert.Equal(ReferenceMerkle.Consistency(leaves, oldSize, newSize), proof.Nodes);
                Assert.True(proof.Verify(tree.RootAt(oldSize), tree.RootAt(newSize)), $"{oldSize} → {newSize}");
            }
        }
    }

    [Fact]
    public void ConsistencyProofsBetweenRandomSizesUpToTenThousandVerifyAndBitFlipsFail()
    {
        var (tree, leaves) = Big.Value;
        var random = new Random(19);
        for (var i = 0; i < 300; i++)
        {
            var newSize = random.Next(2, LargestSize + 1);
            var oldSize = random.Next(1, newSize);
            var proof = tree.ProveConsistency(oldSize, newSize);
            var oldRoot = tree.RootAt(oldSize);
            var newRoot = tree.RootAt(newSize);
            Assert.True(proof.Verify(oldRoot, newRoot), $"{oldSize} → {newSize}");
            if (i % 25 != 0)
            {
                continue;
            }

            Assert.Equal(ReferenceMerkle.Consistency(leaves, oldSize, newSize), proof.Nodes);
            foreach (var flipped in EveryBitFlip(oldRoot))
            {
                Assert.False(proof.Verify(flipped, newRoot));
            }

            foreach (var flipped in EveryBitFlip(newRoot))
            {
                Assert.False(proof.Verify(oldRoot, flipped));
            }

            for (var node = 0; node < proof.Nodes.Count; node++)
            {
                foreach (var flipped in EveryBitFlip(proof.Nodes[node]))
                {
                    var nodes = proof.Nodes.ToArray();
                    nodes[node] = flipped;
                    Assert.False(new ConsistencyProof(oldSize, newSize, nodes).Verify(oldRoot, newRoot));
                }
            }

            Assert.False(new ConsistencyProof(oldSize, newSize, proof.Nodes.Skip(1).ToArray()).Verify(oldRoot, newRoot));
            Assert.False(new ConsistencyProof(oldSize, newSize, [.. proof.Nodes, proof.Nodes[0]]).Verify(oldRoot, newRoot));
        }
    }

    [Fact]
    public void ConsistencyProofBetweenEqualSizesIsEmptyAndNeedsEqualRoots()
    {
        var (tree, _) = Big.Value;
        var proof = tree.ProveConsistency(37, 37);

        Assert.Empty(proof.Nodes);
        Assert.True(proof.Verify(tree.RootAt(37), tree.RootAt(37)));
        Assert.False(proof.Verify(tree.RootAt(37), tree.RootAt(38)));
    }

    [Fact]
    public void ReopeningAStoreRestoresTheTreeAndTruncationRollsItBack()
    {
        var store = new InMemoryMerkleNodeStore();
        var tree = new MerkleTree(store);
        var leaves = Leaves(1000, seed: 23);
        foreach (var leaf in leaves)
        {
            tree.Append(leaf);
        }

        var reopened = new MerkleTree(store);
        Assert.Equal(1000, reopened.Size);
        Assert.Equal(tree.Root, reopened.Root);

        reopened.TruncateTo(613);
        Assert.Equal(ReferenceMerkle.Root(leaves, 0, 613), reopened.Root);
        Assert.Equal(MerkleShape.NodeCount(613), store.Count);

        foreach (var leaf in leaves[613..])
        {
            reopened.Append(leaf);
        }

        Assert.Equal(tree.RootAt(1000), reopened.Root);
        Assert.Equal(leaves[999], reopened.Leaf(999));
    }

    [Fact]
    public void AStoreCutBetweenALeafAndItsParentsIsRejected()
    {
        var store = new InMemoryMerkleNodeStore();
        var tree = new MerkleTree(store);
        foreach (var leaf in Leaves(4, seed: 29))
        {
            tree.Append(leaf);
        }

        // Four leaves complete three parents after the fourth leaf; keep the leaf but not them.
        store.Truncate(MerkleShape.NodeCount(4) - 1);

        Assert.Throws<InvalidDataException>(() => new MerkleTree(store));
    }

    [Fact]
    public void NodePositionsMatchTheOrderNodesAreAppended()
    {
        var store = new InMemoryMerkleNodeStore();
        var tree = new MerkleTree(store);
        var leaves = Leaves(300, seed: 31);
        foreach (var leaf in leaves)
        {
            tree.Append(leaf);
        }

        for (var level = 0; (1 << level) <= leaves.Length; level++)
        {
            for (var index = 0; (index + 1) << level <= leaves.Length; index++)
            {
                var expected = ReferenceMerkle.Root(leaves, index << level, (index + 1) << level);
                Assert.Equal(expected, store.Read(MerkleShape.NodePosition(level, index)));
            }
        }

        for (long count = 0; count < 700; count++)
        {
            var leafCount = MerkleShape.LeafCountForNodeCount(count);
            Assert.True(leafCount == -1 || MerkleShape.NodeCount(leafCount) == count);
        }
    }

    [Fact]
    public void EveryStorePositionNamesTheNodeWrittenThereInOrder()
    {
        // Walks the layout as appends write it: each leaf, then every parent it completes.
        long position = 0;
        for (long leaf = 0; leaf < 5_000; leaf++)
        {
            for (var level = 0; level == 0 || ((leaf + 1) & ((1L << level) - 1)) == 0; level++)
            {
                Assert.Equal((level, leaf >> level), MerkleShape.NodeAt(position));
                Assert.Equal(position, MerkleShape.NodePosition(level, leaf >> level));
                position++;
            }
        }

        Assert.Equal(MerkleShape.NodeCount(5_000), position);
        var far = MerkleShape.NodePosition(40, 12_345);
        Assert.Equal((40, 12_345L), MerkleShape.NodeAt(far));
    }

    [Fact]
    public void OutOfRangeRequestsAreRejected()
    {
        var (tree, _) = Big.Value;

        Assert.Throws<ArgumentOutOfRangeException>(() => tree.RootAt(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.RootAt(LargestSize + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.ProveInclusion(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.ProveInclusion(-1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.ProveConsistency(6, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.ProveConsistency(0, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MerkleTree(new InMemoryMerkleNodeStore()).RootAt(1));
    }

    internal static IEnumerable<Sha256Hash> EveryBitFlip(Sha256Hash hash)
    {
        var bytes = hash.Bytes.ToArray();
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            yield return new Sha256Hash(bytes);
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    private static (MerkleTree, Sha256Hash[]) Build(int size, int seed)
    {
        var leaves = Leaves(size, seed);
        var tree = new MerkleTree(new InMemoryMerkleNodeStore());
        foreach (var leaf in leaves)
        {
            tree.Append(leaf);
        }

        return (tree, leaves);
    }

    private static Sha256Hash[] Leaves(int count, int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[Sha256Hash.Size];
        return Enumerable.Range(0, count).Select(_ =>
        {
            random.NextBytes(bytes);
            return new Sha256Hash(bytes);
        }).ToArray();
    }
}
