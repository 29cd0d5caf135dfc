namespace Vellum.Node.Cluster;

/// <summary>What became of a request to retire a node.</summary>
internal enum RetireOutcome
{
    /// <summary>The node is no longer a member; the removal is committed.</summary>
    Retired,

    /// <summary>The membership does not list the node; nothing was written.</summary>
    NotAMember,

    /// <summary>The node is the only voter, which consensus cannot do without; nothing was written.</summary>
    LastVoter,
}
