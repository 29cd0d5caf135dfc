namespace Vellum.Simulator;

/// <summary>A data entry a leader accepted, as a client holding its transaction id would follow it.</summary>
internal sealed class ClientWrite(long term, long index, long proposedAt, int nodes)
{
    /// <summary>The id's view.</summary>
    public long Term { get; } = term;

    /// <summary>The id's seqno.</summary>
    public long Index { get; } = index;

    /// <summary>When the leader accepted it.</summary>
    public long ProposedAt { get; } = proposedAt;

    /// <summary>Per node, the incarnation in which the node first reported the id Committed, or -1.</summary>
    public int[] CommittedIn { get; } = Enumerable.Repeat(-1, nodes).ToArray();

    /// <summary>The first node that reported the id Committed, if any.</summary>
    public string? CommittedBy { get; set; }

    /// <summary>The first node that reported the id Invalid, if any.</summary>
    public string? InvalidBy { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Term}.{Index}";
}
