using System.Text;
using Vellum.Core.Claims;
using Vellum.Core.Merkle;
using Vellum.Core.Receipts;

namespace Vellum.Core.Tests.Receipts;

/// <summary>
/// A small ledger built the way a Vellum node builds one: leaf 0 is zero, each later leaf comes
/// from a write set digest, derived commit evidence and the entry's claims digest, and receipts
/// carry a proof to the current root signed by a node key.
/// </summary>
internal sealed class TestLedger : IDisposable
{
    private const long View = 2;
    private readonly CommitEvidenceDeriver _deriver = new(Enumerable.Repeat((byte)0x5a, 32).ToArray());
    private readonly MerkleTree _tree = new(new InMemoryMerkleNodeStore());
    private readonly Dictionary<long, (LeafComponents Leaf, IReadOnlyList<ApplicationClaim> Claims)> _entries = [];

    public TestLedger()
    {
        // CCF's leaf 0 is 32 zero bytes, so that leaf indices equal seqnos.
        _tree.Append(Sha256Hash.Zero);
    }

    public long Size => _tree.Size;

    /// <summary>Appends an entry and returns its transaction id.</summary>
    public TransactionId Append(string contents, IReadOnlyList<ApplicationClaim>? claims = null)
    {
        claims ??= [];
        var id = new TransactionId(View, _tree.Size);
        var leaf = new LeafComponents(
            Sha256Hash.Of(Encoding.UTF8.GetBytes(contents)),
            _deriver.Derive(id),
            ClaimsDigest.Compute(claims));
        _tree.Append(leaf.Leaf());
        _entries[id.Seqno] = (leaf, claims);
        return id;
    }

    /// <summary>Appends <paramref name="count"/> plain entries.</summary>
    public void AppendMany(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Append($"entry {_tree.Size}");
        }
    }

    /// <summary>The receipt response for <paramref name="id"/> against the current root.</summary>
    public TransactionReceipt ReceiptFor(TransactionId id, TestPki node, IEnumerable<string>? endorsements = null)
    {
        var (leaf, claims) = _entries[id.Seqno];
        var proof = _tree.ProveInclusion(id.Seqno, _tree.Size);
        var root = _tree.Root;
        var receipt = new Receipt(leaf, proof.Steps, node.SignRoot(root), node.Pem, Receipt.ComputeNodeId(node.Pem), endorsements);
        return new TransactionReceipt(id, receipt, claims);
    }

    public void Dispose() => _deriver.Dispose();
}
