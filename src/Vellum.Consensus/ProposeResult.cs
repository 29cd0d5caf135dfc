namespace Vellum.Consensus;

/// <summary>What became of a proposed entry.</summary>
public enum ProposeResult
{
    /// <summary>The entry was appended to the leader's log.</summary>
    Accepted,

    /// <summary>This node is not the leader, or the entry's term is not the leader's term.</summary>
    NotLeader,

    /// <summary>Too many entries await commit: slow down (signatures are still accepted).</summary>
    AtCapacity,

    /// <summary>
    /// A membership change must wait: the previous one is not yet committed, the leader has not yet
    /// committed an entry in its term, or the change moves more than one voter.
    /// </summary>
    ConfigurationChangeNotAllowed,
}
