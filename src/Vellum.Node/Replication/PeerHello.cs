using Vellum.Consensus;

namespace Vellum.Node.Replication;

/// <summary>
/// The first frame a caller sends: its own node id, which must match its certificate, and the id
/// it expects to reach, which must be the receiver's, so a stale address is noticed on both ends.
/// </summary>
/// <param name="From">The caller.</param>
/// <param name="To">The node the caller means to reach.</param>
internal sealed record PeerHello(NodeId From, NodeId To);
