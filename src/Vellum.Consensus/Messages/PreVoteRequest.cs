namespace Vellum.Consensus.Messages;

/// <summary>
/// Asks whether the receiver would vote for the sender in <see cref="RaftMessage.Term"/>, without
/// anyone changing term: a node cut off from the others cannot then disrupt them when it returns.
/// </summary>
/// <param name="From">The would-be candidate.</param>
/// <param name="To">The voter asked.</param>
/// <param name="Term">The sender's term plus one.</param>
/// <param name="LastCommittableIndex">The index of the sender's last signature entry.</param>
/// <param name="LastCommittableTerm">The term of that entry.</param>
public sealed record PreVoteRequest(NodeId From, NodeId To, long Term, long LastCommittableIndex, long LastCommittableTerm)
    : RaftMessage(From, To, Term);
