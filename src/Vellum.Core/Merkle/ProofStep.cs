namespace Vellum.Core.Merkle;

/// <summary>Which side of the running hash a proof step's sibling sits on.</summary>
public enum ProofSide
{
    /// <summary>The sibling is the left child: <c>h = SHA-256(sibling ‖ h)</c>. ACL writes <c>{"left": hex}</c>.</summary>
    Left,

    /// <summary>The sibling is the right child: <c>h = SHA-256(h ‖ sibling)</c>. ACL writes <c>{"right": hex}</c>.</summary>
    Right,
}

/// <summary>One step of an inclusion proof, from the leaf towards the root.</summary>
/// <param name="Side">Where the sibling sits.</param>
/// <param name="Sibling">The sibling subtree's hash.</param>
public readonly record struct ProofStep(ProofSide Side, Sha256Hash Sibling)
{
    /// <summary>Combines the running hash with this step's sibling.</summary>
    public Sha256Hash Apply(in Sha256Hash current) =>
        Side == ProofSide.Left ? Sha256Hash.OfPair(Sibling, current) : Sha256Hash.OfPair(current, Sibling);
}
