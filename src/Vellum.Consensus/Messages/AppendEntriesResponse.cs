namespace Vellum.Consensus.Messages;

/// <summary>A follower's answer to an <see cref="AppendEntriesRequest"/>, or its report that more of the log became durable.</summary>
/// <param name="From">The follower.</param>
/// <param name="To">The leader.</param>
/// <param name="Term">The follower's term.</param>
/// <param name="Success">Whether the follower's log matched at the request's previous index.</param>
/// <param name="MatchIndex">On success, the last index known to match the leader's log; on failure, the previous index that did not match.</param>
/// <param name="DurableIndex">The last index that matches the leader's log and is durable on the follower: what counts towards commit.</param>
/// <param name="HintIndex">On failure, the last index at which the follower's log may still match: its last entry, or the last with a term no later than the request's previous term.</param>
/// <param name="HintTerm">The term of the follower's entry at <paramref name="HintIndex"/>.</param>
public sealed record AppendEntriesResponse(
    NodeId From,
    NodeId To,
    long Term,
    bool Success,
    long MatchIndex,
    long DurableIndex,
    long HintIndex = 0,
    long HintTerm = 0)
    : RaftMessage(From, To, Term);
