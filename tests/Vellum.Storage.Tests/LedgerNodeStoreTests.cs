using Vellum.Core;
using Vellum.Core.Merkle;
using Vellum.Storage.Files;

namespace Vellum.Storage.Tests;

/// <summary>
/// The ledger's node store keeps only subtrees of 2^LowLevels leaves and up on disk and
/// recomputes the rest from the leaves: every root and proof must equal a full tree's, whether
/// the nodes come from memory, from the file after reopening, or from recomputed leaves.
/// </summary>
public sealed class LedgerNodeStoreTests : IDisposable
{
    private const string NodesPath = "/ledger/merkle.nodes";
    private readonly SimulatedFileSystem _fileSystem = new();
    private readonly Sha256Hash[] _leaves = Enumerable.Range(0, 700).Select(i => Sha256Hash.Of(BitConverter.GetBytes(i))).ToArray();
    private readonly List<FileMerkleNodeStore> _files = [];
    private int _leafReads;

    public LedgerNodeStoreTests() => _fileSystem.CreateDirectory("/ledger");

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    [Fact]
    public void RootsAndProofsEqualAFullTreesAtEverySizeAndAfterReopening()
    {
        var full = new MerkleTree(new InMemoryMerkleNodeStore());
        var (tree, file) = Open(0);
        foreach (var leaf in _leaves)
        {
            full.Append(leaf);
            tree.Append(leaf);
        }

        AssertSame(full, tree);
        file.WriteBehindOver(0);

        // Reopened over the file alone: every node below the stored levels is recomputed.
        var (reopened, _) = Open(_leaves.Length);
        _leafReads = 0;
        AssertSame(full, reopened);
        Assert.True(_leafReads > 0, "the reopened store answered without recomputing a single leaf");
    }

    [Fact]
    public void TheFileHoldsOnlySubtreesOfTheLowestStoredLevelAndUp()
    {
        var (tree, file) = Open(0);
        foreach (var leaf in _leaves)
        {
            tree.Append(leaf);
        }

        file.WriteBehindOver(0);
        var nodes = (long)_fileSystem.ReadAllBytes(NodesPath).Length / Sha256Hash.Size;
        Assert.Equal(MerkleShape.NodeCount(_leaves.Length >> LedgerNodeStore.LowLevels), nodes);
    }

    [Theory]
    [InlineData(700, 1, 1 << 16)]
    [InlineData(700, 8, 1 << 16)]
    [InlineData(700, 333, 1 << 16)]
    [InlineData(700, 699, 1 << 16)]
    [InlineData(700, 690, 64)]
    [InlineData(700, 333, 64)]
    public void TruncatingAndAppendingAgainMatchesAFullTreeTheSameWay(int grown, int kept, int recentNodes)
    {
        var full = new MerkleTree(new InMemoryMerkleNodeStore());
        var (tree, file) = Open(0, recentNodes);
        for (var i = 0; i < grown; i++)
        {
            full.Append(_leaves[i]);
            tree.Append(_leaves[i]);
        }

        full.TruncateTo(kept);
        tree.TruncateTo(kept);
        Assert.Equal(LedgerNodeStore.StoredCount(kept), file.Count);
        var replaced = Sha256Hash.Of("another leaf"u8);
        _leaves[kept] = replaced;
        full.Append(replaced);
        tree.Append(replaced);

        AssertSame(full, tree);
    }

    private (MerkleTree Tree, FileMerkleNodeStore File) Open(long leafCount, int recentNodes = 1 << 16)
    {
        var file = new FileMerkleNodeStore(_fileSystem.OpenOrCreate(NodesPath), LedgerNodeStore.StoredCount(leafCount));
        _files.Add(file);
        return (new MerkleTree(new LedgerNodeStore(file, leafCount, LeavesAt, recentNodes)), file);
    }

    private Sha256Hash[] LeavesAt(long first, int count)
    {
        _leafReads += count;
        return _leaves.AsSpan((int)first, count).ToArray();
    }

    private static void AssertSame(MerkleTree expected, MerkleTree actual)
    {
        Assert.Equal(expected.Size, actual.Size);
        for (long size = 1; size <= expected.Size; size++)
        {
            Assert.Equal(expected.RootAt(size), actual.RootAt(size));
        }

        for (long leaf = 0; leaf < expected.Size; leaf += 7)
        {
            Assert.Equal(expected.Leaf(leaf), actual.Leaf(leaf));
            Assert.Equal(expected.ProveInclusion(leaf, expected.Size).Steps, actual.ProveInclusion(leaf, actual.Size).Steps);
            Assert.Equal(expected.ProveConsistency(leaf + 1, expected.Size).Nodes, actual.ProveConsistency(leaf + 1, actual.Size).Nodes);
        }
    }
}
