using System.Text;
using Vellum.Core.Identity;
using Vellum.Core.Merkle;
using Vellum.Core.TreeHeads;

namespace Vellum.Core.Tests.TreeHeads;

/// <summary>
/// A Merkle tree shaped like a ledger's (leaf 0 is zero, so a tree size is a seqno) whose heads a
/// node identity signs as signature transactions do; a fork shares a prefix and then differs.
/// </summary>
internal sealed class TestTree
{
    public const long View = 3;
    private readonly MerkleTree _tree = new(new InMemoryMerkleNodeStore());

    public TestTree(int leaves, string label = "entry")
    {
        _tree.Append(Sha256Hash.Zero);
        Grow(leaves - 1, label);
    }

    public long Size => _tree.Size;

    /// <summary>Appends <paramref name="count"/> leaves made from <paramref name="label"/>.</summary>
    public void Grow(long count, string label = "entry")
    {
        for (var i = 0; i < count; i++)
        {
            _tree.Append(Sha256Hash.Of(Encoding.UTF8.GetBytes($"{label} {_tree.Size}")));
        }
    }

    /// <summary>A tree with this one's first <paramref name="sharedLeaves"/> leaves, then others, up to this one's size.</summary>
    public TestTree Fork(long sharedLeaves)
    {
        var fork = new TestTree(1);
        for (var i = 1L; i < sharedLeaves; i++)
        {
            fork._tree.Append(_tree.Leaf(i));
        }

        fork.Grow(Size - sharedLeaves, "forged");
        return fork;
    }

    public Sha256Hash RootAt(long size) => _tree.RootAt(size);

    public IReadOnlyList<Sha256Hash> Proof(long oldSize, long newSize) => _tree.ProveConsistency(oldSize, newSize).Nodes;

    /// <summary>The head of the tree of <paramref name="size"/> leaves, signed by <paramref name="node"/>.</summary>
    public SignedTreeHead Head(long size, NodeIdentity node, IEnumerable<string>? endorsements = null)
    {
        var root = _tree.RootAt(size);
        return new SignedTreeHead(new TransactionId(View, size), root, node.SignRoot(root), node.CertificatePem, node.NodeId, endorsements);
    }
}
