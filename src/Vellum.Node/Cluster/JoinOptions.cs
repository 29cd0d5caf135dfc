using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Node.Cluster;

/// <summary>What a node needs to join an existing ledger.</summary>
public sealed class JoinOptions
{
    /// <summary>The new node's data folder; it must not hold a ledger yet.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Any node of the ledger, <c>host:port</c> of its API; a backup redirects to the primary.</summary>
    public required string Target { get; init; }

    /// <summary>The ledger's service certificate, pinned for the join: the TLS chain of the target must end at it.</summary>
    public required X509Certificate2 ServiceCertificate { get; init; }

    /// <summary>The address the new node's API will listen on and be reached at.</summary>
    public required string ApiAddress { get; init; }

    /// <summary>The address other nodes will reach the new node's peer endpoint at.</summary>
    public required string PeerAddress { get; init; }

    /// <summary>How long to wait for the primary to admit the node.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);
}
