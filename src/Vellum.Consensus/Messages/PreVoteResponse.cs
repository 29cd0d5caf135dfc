namespace Vellum.Consensus.Messages;

/// <summary>The answer to a <see cref="PreVoteRequest"/>.</summary>
/// <param name="From">The voter.</param>
/// <param name="To">The would-be candidate.</param>
/// <param name="Term">The request's term when granted; the voter's own term when refused.</param>
/// <param name="Granted">Whether the voter would vote for the sender.</param>
public sealed record PreVoteResponse(NodeId From, NodeId To, long Term, bool Granted)
    : RaftMessage(From, To, Term);
