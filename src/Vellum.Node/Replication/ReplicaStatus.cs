using Vellum.Consensus;

namespace Vellum.Node.Replication;

/// <summary>What a replica knows of itself at one instant, read at once so the parts agree.</summary>
/// <param name="Term">The current term (view).</param>
/// <param name="IsLeader">Whether this node is the primary of <paramref name="Term"/>.</param>
/// <param name="LeaderId">The primary it knows for <paramref name="Term"/>, if any.</param>
/// <param name="Role">"voter", "learner", or "none" when the configuration does not name this node.</param>
internal sealed record ReplicaStatus(long Term, bool IsLeader, NodeId? LeaderId, string Role);
