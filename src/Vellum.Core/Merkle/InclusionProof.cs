namespace Vellum.Core.Merkle;

/// <summary>
/// The audit path of leaf <see cref="LeafIndex"/> in the tree of <see cref="TreeSize"/> leaves
/// (RFC 9162 §2.1.3), ordered from the leaf up, in the form ACL receipts carry.
/// </summary>
public sealed class InclusionProof
{
    /// <summary>Creates a proof; the steps are ordered from the leaf towards the root.</summary>
    public InclusionProof(long leafIndex, long treeSize, IReadOnlyList<ProofStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (treeSize < 1 || leafIndex < 0 || leafIndex >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(leafIndex), $"Leaf {leafIndex} is not in a tree of {treeSize} leaves.");
        }

        LeafIndex = leafIndex;
        TreeSize = treeSize;
        Steps = steps;
    }

    /// <summary>The index of the proven leaf.</summary>
    public long LeafIndex { get; }

    /// <summary>The number of leaves in the tree whose root the proof leads to.</summary>
    public long TreeSize { get; }

    /// <summary>The siblings from the leaf up to the root.</summary>
    public IReadOnlyList<ProofStep> Steps { get; }

    /// <summary>Folds the steps over <paramref name="leaf"/>, giving the root they claim.</summary>
    public Sha256Hash ComputeRoot(in Sha256Hash leaf) => ComputeRoot(leaf, Steps);

    /// <summary>Folds proof steps over a leaf as ACL's verifier does: no indices, only sides.</summary>
    public static Sha256Hash ComputeRoot(in Sha256Hash leaf, IEnumerable<ProofStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var current = leaf;
        foreach (var step in steps)
        {
            current = step.Apply(current);
        }

        return current;
    }

    /// <summary>
    /// True when the steps lead from <paramref name="leaf"/> to <paramref name="root"/> and their
    /// number and sides are exactly those that leaf <see cref="LeafIndex"/> has at <see cref="TreeSize"/>.
    /// </summary>
    public bool Verify(in Sha256Hash leaf, in Sha256Hash root) =>
        MerkleShape.HasPathShape(LeafIndex, TreeSize, Steps) && ComputeRoot(leaf) == root;
}
