namespace Vellum.Core.Merkle;

/// <summary>
/// Holds the hashes of every complete subtree of a <see cref="MerkleTree"/> in the post-order
/// layout of <see cref="MerkleShape"/>. The store only grows at its end, except when the tree is
/// truncated. Implementations: <see cref="InMemoryMerkleNodeStore"/> and Vellum.Storage's file store.
/// </summary>
public interface IMerkleNodeStore
{
    /// <summary>The number of node hashes held.</summary>
    long Count { get; }

    /// <summary>Appends a node hash at position <see cref="Count"/>.</summary>
    void Append(in Sha256Hash node);

    /// <summary>Reads the node hash at <paramref name="position"/>, which is below <see cref="Count"/>.</summary>
    Sha256Hash Read(long position);

    /// <summary>Drops every node at or after position <paramref name="count"/>.</summary>
    void Truncate(long count);
}
