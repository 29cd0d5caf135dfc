namespace Vellum.Node.Governance.Voting;

/// <summary>Where a proposal stands.</summary>
internal enum ProposalState
{
    /// <summary>Taking ballots.</summary>
    Open,

    /// <summary>The constitution accepted it and its actions were applied.</summary>
    Accepted,

    /// <summary>The constitution rejected it: enough members voted against that it could not pass.</summary>
    Rejected,

    /// <summary>Its proposer withdrew it while it was open.</summary>
    Withdrawn,

    /// <summary>Accepted, but one of its actions could not apply to the state it met; none was applied.</summary>
    Failed,
}
