using Vellum.Consensus.InMemory;
using Vellum.Consensus.Messages;

namespace Vellum.Simulator;

/// <summary>What the scheduler can do at a point in simulated time.</summary>
internal enum EventKind
{
    /// <summary>A node's clock ticks.</summary>
    Tick,

    /// <summary>A message arrives, unless the network or the receiver lost it meanwhile.</summary>
    Deliver,

    /// <summary>A node's disk completes a flush.</summary>
    FlushDone,

    /// <summary>A crashed node starts again.</summary>
    Restart,

    /// <summary>The scheduler decides on faults, membership changes and progress.</summary>
    Step,
}

/// <summary>One scheduled event; <see cref="Incarnation"/> lets a crash cancel what its node had scheduled.</summary>
internal readonly record struct SimEvent(
    EventKind Kind,
    int Node,
    int Incarnation = 0,
    RaftMessage? Message = null,
    InMemoryRaftLog.Flush? Flush = null);
