using System.Text.Json;

namespace Vellum.Node.Governance.Voting;

/// <summary>A copy of a proposal taken under the governance lock, to answer with outside it.</summary>
internal sealed record ProposalView(string Id, string ProposerId, ProposalState State, IReadOnlyList<KeyValuePair<string, bool>> Ballots, IReadOnlyList<GovernanceAction> Actions, string? FailureReason)
{
    public static ProposalView Of(Proposal proposal) =>
        new(proposal.Id, proposal.ProposerId, proposal.State, [.. proposal.Ballots.OrderBy(ballot => ballot.Key, StringComparer.Ordinal)], proposal.Actions, proposal.FailureReason);

    /// <summary><c>{"proposalId","proposerId","state","actions":[...],"ballots":{member: bool},"failureReason"?}</c>.</summary>
    public void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("proposalId", Id);
        writer.WriteString("proposerId", ProposerId);
        writer.WriteString("state", State.ToString());
        writer.WriteStartArray("actions");
        foreach (var action in Actions)
        {
            writer.WriteStartObject();
            writer.WriteString("name", action.Name);
            writer.WritePropertyName("args");
            action.Args.WriteTo(writer);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("ballots");
        foreach (var (member, inFavour) in Ballots)
        {
            writer.WriteBoolean(member, inFavour);
        }

        writer.WriteEndObject();
        if (FailureReason is not null)
        {
            writer.WriteString("failureReason", FailureReason);
        }

        writer.WriteEndObject();
    }
}
