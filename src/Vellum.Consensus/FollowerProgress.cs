namespace Vellum.Consensus;

/// <summary>What a leader knows about one follower's log, and the messages it has in flight to it.</summary>
internal sealed class FollowerProgress(NodeId node, long nextIndex)
{
    /// <summary>The follower.</summary>
    public NodeId Node { get; } = node;

    /// <summary>The next index to send.</summary>
    public long NextIndex { get; set; } = nextIndex;

    /// <summary>The last index known to match the leader's log.</summary>
    public long ReceivedIndex { get; set; }

    /// <summary>The last index known to match and be durable on the follower: what counts towards commit.</summary>
    public long DurableIndex { get; set; }

    /// <summary>
    /// Whether the leader is still looking for where the logs match: it then sends one message at
    /// a time; otherwise it pipelines up to the in-flight bound.
    /// </summary>
    public bool Probing { get; set; } = true;

    /// <summary>The last index of each append message sent and not yet acknowledged, oldest first.</summary>
    public Queue<long> Inflight { get; } = new();

    /// <summary>Ticks since the follower last acknowledged anything while messages were in flight.</summary>
    public int TicksWithoutProgress { get; set; }

    /// <summary>Whether the follower answered during the current check-quorum period.</summary>
    public bool RecentlyActive { get; set; } = true;

    /// <summary>
    /// Whether the node has left the configuration. The leader still sends it the log, without
    /// counting it, so that it learns from the commit index that its removal committed.
    /// </summary>
    public bool Departing { get; set; }

    /// <summary>Whether, at the last check-quorum, the departing node already held the committed removal.</summary>
    public bool HeldRemoval { get; set; }

    /// <summary>Forgets what is in flight and goes back to probing from the last index known to match.</summary>
    public void ResetToProbe(long nextIndex)
    {
        Inflight.Clear();
        Probing = true;
        NextIndex = nextIndex;
        TicksWithoutProgress = 0;
    }

    /// <summary>Drops the in-flight messages that <paramref name="matchIndex"/> acknowledges.</summary>
    public void Acknowledge(long matchIndex)
    {
        var freed = false;
        while (Inflight.Count > 0 && Inflight.Peek() <= matchIndex)
        {
            Inflight.Dequeue();
            freed = true;
        }

        if (freed || Inflight.Count == 0)
        {
            TicksWithoutProgress = 0;
        }
    }
}
