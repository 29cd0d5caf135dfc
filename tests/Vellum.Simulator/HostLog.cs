using Vellum.Consensus;
using Vellum.Consensus.InMemory;
using Vellum.Core;
using Vellum.Core.Merkle;

namespace Vellum.Simulator;

/// <summary>
/// One node's log as its host sees it: the durable-modelling in-memory log, with a Merkle tree
/// kept in step with every append and truncation. Like the real ledger it refuses a signature
/// whose root is not the root of the entries before it, and here that refusal is a checker
/// failure: it means two logs disagreed below a signature.
/// </summary>
public sealed class HostLog : IRaftLog
{
    private readonly string _node;
    private readonly MerkleTree _tree = new(new InMemoryMerkleNodeStore());

    /// <summary>Creates the log of <paramref name="node"/>.</summary>
    public HostLog(string node)
    {
        _node = node;
    }

    /// <summary>The log underneath, which models what a crash keeps.</summary>
    public InMemoryRaftLog Inner { get; } = new();

    /// <summary>The tree over this log's entries, one leaf each.</summary>
    public MerkleTree Tree => _tree;

    /// <summary>
    /// The lowest index a truncation may cut after: the host's node's commit index. Cutting
    /// below it would lose what the node reported committed.
    /// </summary>
    public long CommittedFloor { get; set; }

    /// <inheritdoc/>
    public long LastIndex => Inner.LastIndex;

    /// <inheritdoc/>
    public long DurableIndex => Inner.DurableIndex;

    /// <inheritdoc/>
    public long TermAt(long index) => Inner.TermAt(index);

    /// <inheritdoc/>
    public long LastSignatureAtOrBefore(long index) => Inner.LastSignatureAtOrBefore(index);

    /// <inheritdoc/>
    public (long Index, ClusterConfiguration Configuration)? LastConfigurationAtOrBefore(long index) =>
        Inner.LastConfigurationAtOrBefore(index);

    /// <inheritdoc/>
    public IReadOnlyList<ReplicatedEntry> Read(long fromIndex, int maxEntries, long maxBytes) =>
        Inner.Read(fromIndex, maxEntries, maxBytes);

    /// <inheritdoc/>
    public void Append(ReplicatedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var index = Inner.LastIndex + 1;
        if (entry.Kind == LogEntryKind.Signature)
        {
            var expected = EntryLeaves.SignedRoot(_tree);
            if (entry.Payload.Length != Sha256Hash.Size || new Sha256Hash(entry.Payload.Span) != expected)
            {
                throw new CheckFailedException(
                    "merkle-root-at-signature",
                    $"{_node}: the signature at {index} (term {entry.Term}) signs a root other than that of the {index - 1} entries before it in this node's log");
            }
        }

        Inner.Append(entry);
        _tree.Append(EntryLeaves.Leaf(index, entry));
    }

    /// <inheritdoc/>
    public void TruncateAfter(long index)
    {
        if (index < CommittedFloor)
        {
            throw new CheckFailedException(
                "committed-never-lost",
                $"{_node}: truncated after {index} below its commit index {CommittedFloor}");
        }

        Inner.TruncateAfter(index);
        _tree.TruncateTo(Inner.LastIndex);
    }

    /// <summary>A crash: what was not durable is gone, and the tree follows the log.</summary>
    public void Crash()
    {
        Inner.LoseVolatileSuffix();
        if (_tree.Size > Inner.LastIndex)
        {
            _tree.TruncateTo(Inner.LastIndex);
        }

        CommittedFloor = 0;
    }

    /// <summary>The leaf of entry <paramref name="index"/> (from 1).</summary>
    public Sha256Hash LeafAt(long index) => _tree.Leaf(index - 1);

    /// <summary>Entry <paramref name="index"/> (from 1).</summary>
    public ReplicatedEntry EntryAt(long index) => Inner.Entries[(int)index - 1];
}
