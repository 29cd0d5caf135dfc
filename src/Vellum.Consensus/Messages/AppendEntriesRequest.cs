namespace Vellum.Consensus.Messages;

/// <summary>
/// The leader's entries for a follower, following on from <paramref name="PrevIndex"/>; with no
/// entries it is a heartbeat that still carries the commit index.
/// </summary>
/// <param name="From">The leader.</param>
/// <param name="To">The follower.</param>
/// <param name="Term">The leader's term.</param>
/// <param name="PrevIndex">The index of the entry just before the first one sent.</param>
/// <param name="PrevTerm">The term of that entry in the leader's log.</param>
/// <param name="LeaderCommit">The leader's commit index.</param>
/// <param name="Entries">The entries at <paramref name="PrevIndex"/> + 1 on.</param>
public sealed record AppendEntriesRequest(
    NodeId From,
    NodeId To,
    long Term,
    long PrevIndex,
    long PrevTerm,
    long LeaderCommit,
    IReadOnlyList<ReplicatedEntry> Entries)
    : RaftMessage(From, To, Term)
{
    /// <summary>The index of the last entry sent, or <see cref="PrevIndex"/> for a heartbeat.</summary>
    public long LastIndex => PrevIndex + Entries.Count;
}
