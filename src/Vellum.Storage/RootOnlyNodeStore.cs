using Vellum.Core;
using Vellum.Core.Merkle;

namespace Vellum.Storage;

/// <summary>
/// A node store that keeps no node, only the count: a <see cref="MerkleTree"/> over it appends
/// and gives its current root (from its frontier) but no earlier root and no proof. For a tree
/// recomputed only to check each signature's root as the entries are read, as an audit does: its
/// memory stays O(log n) however long the ledger.
/// </summary>
internal sealed class RootOnlyNodeStore : IMerkleNodeStore
{
    public long Count { get; private set; }

    public void Append(in Sha256Hash node) => Count++;

    public Sha256Hash Read(long position) =>
        throw new InvariantViolationException("Invariant violated: a root-only tree reads no stored node.");

    public void Truncate(long count) =>
        throw new InvariantViolationException("Invariant violated: a root-only tree is never truncated.");
}
