namespace Vellum.Node.Governance.Voting;

/// <summary>A governance request that cannot be taken: the code says why, in the API's terms.</summary>
internal sealed class GovernanceException : Exception
{
    private GovernanceException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>
    /// <c>ProposalInvalid</c> (a malformed proposal or action), <c>NotAMember</c>,
    /// <c>ProposalNotFound</c>, <c>ProposalNotOpen</c>, <c>AlreadyVoted</c> or
    /// <c>NotTheProposer</c>.
    /// </summary>
    public string Code { get; }

    public static GovernanceException Invalid(string message) => new("ProposalInvalid", message);

    public static GovernanceException NotAMember(string memberId) => new("NotAMember", $"{memberId} is not an active member of the consortium.");

    public static GovernanceException NotFound(string proposalId) => new("ProposalNotFound", $"There is no proposal {proposalId}.");

    public static GovernanceException NotOpen(Proposal proposal) => new("ProposalNotOpen", $"The proposal {proposal.Id} is {proposal.State}, not open.");

    public static GovernanceException AlreadyVoted(string memberId, Proposal proposal) => new("AlreadyVoted", $"{memberId} has already voted on the proposal {proposal.Id}; ballots are final.");

    public static GovernanceException NotTheProposer(string memberId, Proposal proposal) => new("NotTheProposer", $"Only the proposer of {proposal.Id} may withdraw it, not {memberId}.");
}
