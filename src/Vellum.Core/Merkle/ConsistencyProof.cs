namespace Vellum.Core.Merkle;

/// <summary>
/// An RFC 9162 consistency proof: the hashes showing that the tree of <see cref="NewSize"/>
/// leaves has the tree of <see cref="OldSize"/> leaves as its prefix.
/// </summary>
public sealed class ConsistencyProof
{
    /// <summary>Creates a proof between two sizes, 1 ≤ old ≤ new.</summary>
    public ConsistencyProof(long oldSize, long newSize, IReadOnlyList<Sha256Hash> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (oldSize < 1 || oldSize > newSize)
        {
            throw new ArgumentOutOfRangeException(nameof(oldSize), oldSize, $"A consistency proof needs 1 ≤ old size ≤ new size ({newSize}).");
        }

        OldSize = oldSize;
        NewSize = newSize;
        Nodes = nodes;
    }

    /// <summary>The earlier tree size.</summary>
    public long OldSize { get; }

    /// <summary>The later tree size.</summary>
    public long NewSize { get; }

    /// <summary>The proof's hashes, in RFC 9162 order.</summary>
    public IReadOnlyList<Sha256Hash> Nodes { get; }

    /// <summary>
    /// Checks the proof against the two roots with the verification algorithm of RFC 9162 §2.1.4.2.
    /// </summary>
    public bool Verify(in Sha256Hash oldRoot, in Sha256Hash newRoot)
    {
        if (OldSize == NewSize)
        {
            return Nodes.Count == 0 && oldRoot == newRoot;
        }

        if (Nodes.Count == 0)
        {
            return false;
        }

        // When the old tree is a complete subtree its root is the proof's implicit first node.
        var path = new List<Sha256Hash>(Nodes.Count + 1);
        if ((OldSize & (OldSize - 1)) == 0)
        {
            path.Add(oldRoot);
        }

        path.AddRange(Nodes);

        var fn = OldSize - 1;
        var sn = NewSize - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        for (var i = 1; i < path.Count; i++)
        {
            if (sn == 0)
            {
                return false;
            }

            var c = path[i];
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = Sha256Hash.OfPair(c, fr);
                sr = Sha256Hash.OfPair(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = Sha256Hash.OfPair(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return fr == oldRoot && sr == newRoot && sn == 0;
    }
}
