namespace Vellum.Node.Governance.Voting;

/// <summary>
/// The default constitution: a proposal is accepted once more than half of the active members
/// voted for it, and rejected once so many voted against that it no longer can be. Only the
/// ballots of current members count, so a change of members can settle an open proposal.
/// </summary>
internal static class MajorityConstitution
{
    public static ProposalState Resolve(Proposal proposal, IReadOnlyCollection<string> activeMembers)
    {
        var inFavour = 0;
        var against = 0;
        foreach (var (member, ballot) in proposal.Ballots)
        {
            if (activeMembers.Contains(member))
            {
                _ = ballot ? inFavour++ : against++;
            }
        }

        var needed = (activeMembers.Count / 2) + 1;
        return inFavour >= needed ? ProposalState.Accepted
            : activeMembers.Count - against < needed ? ProposalState.Rejected
            : ProposalState.Open;
    }
}
