namespace Vellum.Consensus;

/// <summary>
/// The status of a transaction id as one node sees it. Allowed changes: Unknown → Pending,
/// Pending → Committed, Pending → Invalid (rolled back), and Pending → Unknown only just after an
/// election; never away from Committed or Invalid.
/// </summary>
public enum CommitStatus
{
    /// <summary>This node has not seen the id.</summary>
    Unknown,

    /// <summary>The id is in this node's log but not yet committed.</summary>
    Pending,

    /// <summary>The id is committed and will never be lost.</summary>
    Committed,

    /// <summary>The id can never commit: another entry holds its seqno in what committed.</summary>
    Invalid,
}
