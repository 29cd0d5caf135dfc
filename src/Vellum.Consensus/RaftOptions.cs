namespace Vellum.Consensus;

/// <summary>
/// Timing and bounds for one consensus participant. Time is counted in ticks, which the host
/// delivers at a fixed interval (the node ticks every few milliseconds; the simulator whenever
/// it likes).
/// </summary>
public sealed class RaftOptions
{
    /// <summary>
    /// Ticks without hearing from a leader before a follower campaigns, and the period over which a
    /// leader must hear from a majority to stay leader. Each wait is randomised in [T, 2T).
    /// </summary>
    public int ElectionTimeoutTicks { get; init; } = 10;

    /// <summary>Ticks between a leader's heartbeats to each follower.</summary>
    public int HeartbeatIntervalTicks { get; init; } = 1;

    /// <summary>Ticks a leader waits for an answer to entries in flight before sending them again.</summary>
    public int RetransmitTicks { get; init; } = 3;

    /// <summary>The most entries in one append message.</summary>
    public int MaxEntriesPerMessage { get; init; } = 1024;

    /// <summary>The most payload bytes in one append message (a single larger entry still goes alone).</summary>
    public long MaxBytesPerMessage { get; init; } = 1024 * 1024;

    /// <summary>The most append messages in flight to one follower: the back-pressure of replication.</summary>
    public int MaxInflightMessages { get; init; } = 4;

    /// <summary>The most entries a leader holds beyond its commit index before it refuses new data.</summary>
    public long MaxUncommittedEntries { get; init; } = 100_000;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ElectionTimeoutTicks, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(HeartbeatIntervalTicks, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(HeartbeatIntervalTicks, ElectionTimeoutTicks);
        ArgumentOutOfRangeException.ThrowIfLessThan(RetransmitTicks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEntriesPerMessage, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytesPerMessage, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInflightMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUncommittedEntries, 2);
    }
}
