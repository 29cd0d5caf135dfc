namespace Vellum.Consensus.Messages;

/// <summary>The answer to a <see cref="VoteRequest"/>.</summary>
/// <param name="From">The voter.</param>
/// <param name="To">The candidate.</param>
/// <param name="Term">The voter's term.</param>
/// <param name="Granted">Whether the voter voted for the candidate.</param>
public sealed record VoteResponse(NodeId From, NodeId To, long Term, bool Granted)
    : RaftMessage(From, To, Term);
