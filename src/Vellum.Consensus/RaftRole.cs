namespace Vellum.Consensus;

/// <summary>The part a node plays in its current term.</summary>
public enum RaftRole
{
    /// <summary>Follows a leader, or waits for one.</summary>
    Follower,

    /// <summary>Asks whether the others would vote for it, before changing term.</summary>
    PreCandidate,

    /// <summary>Campaigns for votes in a new term.</summary>
    Candidate,

    /// <summary>Accepts writes and replicates them.</summary>
    Leader,
}
