using System.Security.Cryptography.X509Certificates;
using Vellum.Consensus;
using Vellum.Core.Identity;

namespace Vellum.Node.Replication;

/// <summary>Where consensus node ids come from: the node's certificate key, so they survive certificate renewal.</summary>
public static class NodeIds
{
    /// <summary>
    /// The node id of a certificate: lowercase hex SHA-256 of its DER SubjectPublicKeyInfo, the
    /// same value as <see cref="NodeIdentity.NodeId"/> and the <c>node_id</c> of receipts.
    /// </summary>
    /// <exception cref="FormatException">The certificate cannot be parsed.</exception>
    public static NodeId FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new NodeId(NodeIdentity.ComputeNodeId(certificate));
    }
}
