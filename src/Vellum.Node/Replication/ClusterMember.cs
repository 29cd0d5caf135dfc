using Vellum.Consensus;

namespace Vellum.Node.Replication;

/// <summary>One node of the cluster as the membership records name it.</summary>
/// <param name="Id">The node id: the SHA-256 of its identity public key, hex.</param>
/// <param name="PeerAddress">Where other nodes reach its node-to-node endpoint, <c>host:port</c>.</param>
/// <param name="ApiAddress">Where clients reach its REST API, <c>host:port</c>; writes sent to a backup are redirected here.</param>
/// <param name="CertificatePem">Its node certificate, issued by the service identity.</param>
internal sealed record ClusterMember(NodeId Id, string PeerAddress, string ApiAddress, string CertificatePem);
