using Vellum.Core;
using Vellum.Core.Merkle;

namespace Vellum.Storage.Tests;

/// <summary>An audit's tree keeps no nodes, yet must give the root a full tree gives after every append.</summary>
public sealed class RootOnlyNodeStoreTests
{
    [Fact]
    public void ATreeOverItGivesAFullTreesRootAfterEveryAppendAndKeepsNoNode()
    {
        var full = new MerkleTree(new InMemoryMerkleNodeStore());
        var store = new RootOnlyNodeStore();
        var rootOnly = new MerkleTree(store);
        for (var i = 0; i < 1_000; i++)
        {
            var leaf = Sha256Hash.Of(BitConverter.GetBytes(i));
            full.Append(leaf);
            rootOnly.Append(leaf);
            Assert.Equal(full.Root, rootOnly.Root);
        }

        Assert.Equal(MerkleShape.NodeCount(1_000), store.Count);
        Assert.Throws<InvariantViolationException>(() => rootOnly.RootAt(500));
    }
}
