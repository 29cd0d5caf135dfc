using Vellum.Core;
using Vellum.Core.Merkle;

namespace Vellum.Storage;

/// <summary>
/// A node store that holds nothing: each node appended to it that the ledger stores (see
/// <see cref="LedgerNodeStore"/>) is compared with the one in the node file, read by its position
/// there. A <see cref="MerkleTree"/> appending over it recomputes every complete subtree from the
/// leaves up and so checks the whole stored tree in O(log n) memory.
/// </summary>
internal sealed class CheckingNodeStore(Func<long, Sha256Hash> readStored, string storedPath) : IMerkleNodeStore
{
    public long Count { get; private set; }

    public void Append(in Sha256Hash node)
    {
        var stored = LedgerNodeStore.StoredPosition(Count);
        if (stored >= 0 && readStored(stored) != node)
        {
            throw new LedgerCorruptException(storedPath, stored * Sha256Hash.Size, "a stored Merkle node differs from the one recomputed from the entries");
        }

        Count++;
    }

    public Sha256Hash Read(long position) =>
        throw new InvariantViolationException("Invariant violated: a checking store is only appended to.");

    public void Truncate(long count) =>
        throw new InvariantViolationException("Invariant violated: a checking store is only appended to.");
}
