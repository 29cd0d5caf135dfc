namespace Vellum.Core.Merkle;

/// <summary>
/// A node store in memory, in fixed-size blocks so that growth never copies what is already held.
/// For tests and for trees that are rebuilt rather than kept (its memory grows with the tree).
/// </summary>
public sealed class InMemoryMerkleNodeStore : IMerkleNodeStore
{
    private const int NodesPerBlock = 1 << 14;
    private readonly List<byte[]> _blocks = [];

    /// <inheritdoc />
    public long Count { get; private set; }

    /// <inheritdoc />
    public void Append(in Sha256Hash node)
    {
        var offsetInBlock = (int)(Count % NodesPerBlock);
        if (offsetInBlock == 0 && Count / NodesPerBlock == _blocks.Count)
        {
            _blocks.Add(new byte[NodesPerBlock * Sha256Hash.Size]);
        }

        node.CopyTo(_blocks[(int)(Count / NodesPerBlock)].AsSpan(offsetInBlock * Sha256Hash.Size, Sha256Hash.Size));
        Count++;
    }

    /// <inheritdoc />
    public Sha256Hash Read(long position)
    {
        if (position < 0 || position >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"The store holds {Count} nodes.");
        }

        var offsetInBlock = (int)(position % NodesPerBlock);
        return new Sha256Hash(_blocks[(int)(position / NodesPerBlock)].AsSpan(offsetInBlock * Sha256Hash.Size, Sha256Hash.Size));
    }

    /// <inheritdoc />
    public void Truncate(long count)
    {
        if (count < 0 || count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The store holds {Count} nodes.");
        }

        Count = count;
        var blocksNeeded = (int)((count + NodesPerBlock - 1) / NodesPerBlock);
        _blocks.RemoveRange(blocksNeeded, _blocks.Count - blocksNeeded);
    }
}
