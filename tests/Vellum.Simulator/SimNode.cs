using Vellum.Consensus;
using Vellum.Consensus.InMemory;

namespace Vellum.Simulator;

/// <summary>
/// The host of one simulated node: its durable log and hard state, which outlive crashes, and
/// the <see cref="RaftNode"/> of its current incarnation, which does not.
/// </summary>
public sealed class SimNode
{
    private readonly int _seed;
    private readonly RaftOptions _options;

    internal SimNode(int index, NodeId id, ClusterConfiguration bootstrap, int seed, RaftOptions options)
    {
        Index = index;
        Id = id;
        Bootstrap = bootstrap;
        _seed = seed;
        _options = options;
        Log = new HostLog(id.Value);
        Raft = Start();
    }

    /// <summary>The node's position in the simulation's list, which orders everything it does.</summary>
    public int Index { get; }

    /// <summary>The node's id.</summary>
    public NodeId Id { get; }

    /// <summary>The membership the node assumes before its log holds a configuration.</summary>
    public ClusterConfiguration Bootstrap { get; }

    /// <summary>The node's log, which survives crashes up to its durable index.</summary>
    public HostLog Log { get; }

    /// <summary>The node's term and vote, durable by definition.</summary>
    public InMemoryHardStateStore Store { get; } = new();

    /// <summary>The consensus state of the current incarnation.</summary>
    public RaftNode Raft { get; private set; }

    /// <summary>How many times the node was started; 0 for the first run.</summary>
    public int Incarnation { get; private set; }

    /// <summary>Whether the node is running.</summary>
    public bool Alive { get; private set; } = true;

    /// <summary>Simulated time units between this node's ticks: its clock, which drifts.</summary>
    public int TickPeriod { get; set; } = 10;

    /// <summary>How long this node's disk takes to complete a flush, at most.</summary>
    public int MaxFlushDelay { get; set; } = 4;

    /// <summary>The flush under way, if any: the host runs one at a time, as a group commit does.</summary>
    internal InMemoryRaftLog.Flush? PendingFlush { get; set; }

    /// <summary>The commit index this incarnation last reported, which must never go down.</summary>
    internal long ObservedCommit { get; set; }

    /// <summary>The commit index saved when the node last crashed, as a host saves it, taken up on restart.</summary>
    internal long SavedCommit { get; private set; }

    /// <summary>Ticks since this node, as leader, last proposed a signature.</summary>
    internal int TicksSinceSignature { get; set; }

    /// <summary>Stops the node: its volatile log suffix and everything in memory are gone.</summary>
    internal void Crash()
    {
        Alive = false;
        SavedCommit = Raft.CommitIndex;
        PendingFlush = null;
        ObservedCommit = 0;
        Log.Crash();
    }

    /// <summary>Starts a new incarnation over the surviving log and hard state.</summary>
    internal void Restart()
    {
        Incarnation++;
        Alive = true;
        TicksSinceSignature = 0;
        Raft = Start();
        Raft.RestoreCommitIndex(SavedCommit);
    }

    private RaftNode Start() =>
        new(Id, Bootstrap, Log, Store, new Random(SeedMath.Derive(_seed, Index + 1, Incarnation)), _options);
}
