using System.Buffers.Binary;
using System.Text;
using Vellum.Consensus;
using Vellum.Core;
using Vellum.Core.Merkle;

namespace Vellum.Simulator;

/// <summary>
/// The simulated ledger's Merkle leaves and signatures. A leaf is SHA-256 of the entry's term,
/// index and kind (8, 8 and 1 bytes, big-endian) followed by its payload, so two logs agree on a
/// leaf only if they agree on the whole entry at that index. A signature's payload is the root
/// over the leaves of every entry before it, as a CCF signature transaction signs the root.
/// </summary>
public static class EntryLeaves
{
    /// <summary>The leaf of <paramref name="entry"/> at <paramref name="index"/>.</summary>
    public static Sha256Hash Leaf(long index, ReplicatedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var buffer = new byte[17 + entry.Payload.Length];
        BinaryPrimitives.WriteInt64BigEndian(buffer, entry.Term);
        BinaryPrimitives.WriteInt64BigEndian(buffer.AsSpan(8), index);
        buffer[16] = (byte)entry.Kind;
        entry.Payload.Span.CopyTo(buffer.AsSpan(17));
        return Sha256Hash.Of(buffer);
    }

    /// <summary>The root a signature appended after <paramref name="tree"/>'s leaves must carry; zeros over an empty log.</summary>
    public static Sha256Hash SignedRoot(MerkleTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return tree.Size == 0 ? Sha256Hash.Zero : tree.Root;
    }

    /// <summary>A signature entry in <paramref name="term"/> over <paramref name="tree"/>.</summary>
    public static ReplicatedEntry Signature(long term, MerkleTree tree) =>
        new(term, LogEntryKind.Signature, SignedRoot(tree).Bytes.ToArray());

    /// <summary>A configuration entry; its payload names the membership so that the leaf covers it.</summary>
    public static ReplicatedEntry Configuration(long term, ClusterConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new(term, LogEntryKind.Configuration, Encoding.UTF8.GetBytes(configuration.ToString()), configuration);
    }
}
