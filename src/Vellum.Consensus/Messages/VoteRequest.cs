namespace Vellum.Consensus.Messages;

/// <summary>A candidate asks for the receiver's vote in <see cref="RaftMessage.Term"/>.</summary>
/// <param name="From">The candidate.</param>
/// <param name="To">The voter asked.</param>
/// <param name="Term">The term the candidate campaigns in.</param>
/// <param name="LastCommittableIndex">The index of the candidate's last signature entry.</param>
/// <param name="LastCommittableTerm">The term of that entry.</param>
public sealed record VoteRequest(NodeId From, NodeId To, long Term, long LastCommittableIndex, long LastCommittableTerm)
    : RaftMessage(From, To, Term);
