using Vellum.Consensus;

namespace Vellum.Node.Replication;

/// <summary>How a node takes part in consensus.</summary>
public sealed class ReplicaOptions
{
    /// <summary>The length of one consensus tick; the election timeout and heartbeat are counted in ticks.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The least time between two saves of the commit index (<c>commit_point.json</c>); a
    /// restarted node reports committed at once what it knew up to its last save.
    /// </summary>
    public TimeSpan CommitPointInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Raft's timing and bounds, in ticks. The defaults give a 1–2 s election timeout and 100 ms heartbeats.</summary>
    public RaftOptions Raft { get; init; } = new() { ElectionTimeoutTicks = 20, HeartbeatIntervalTicks = 2, RetransmitTicks = 4 };
}
