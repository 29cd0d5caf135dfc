using System.Security.Cryptography.X509Certificates;

namespace Vellum.Node.Cluster;

/// <summary>What a node needs to join an existing ledger.</summary>
public sealed record JoinOptions
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

    /// <summary>How long to wait for the primary to answer one request to join.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long to keep asking while the ledger holds the request for the consortium's approval (<see cref="JoinPolicy.Consortium"/>).</summary>
    public TimeSpan ApprovalTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The wait between two requests while the request is pending.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Called once, with the node's id, when the ledger first answers that the consortium must trust the node.</summary>
    public Action<string>? WhilePending { get; init; }

    /// <summary>The join of the node <paramref name="node"/> describes, at the addresses it will advertise.</summary>
    /// <exception cref="ArgumentException">The node's API or peer port is 0: the other nodes must be told a fixed one.</exception>
    public static JoinOptions For(NodeOptions node, string target, X509Certificate2 serviceCertificate)
    {
        ArgumentNullException.ThrowIfNull(node);
        var peerPort = node.EffectivePeerListen.Port;
        if (node.Listen.Port == 0 || (peerPort == 0 && node.PeerAdvertise is null))
        {
            throw new ArgumentException("A joining node needs fixed API and peer ports: the other nodes record them.", nameof(node));
        }

        return new JoinOptions
        {
            DataDirectory = node.DataDirectory,
            Target = target,
            ServiceCertificate = serviceCertificate,
            ApiAddress = node.AdvertisedApiAddress(node.Listen.Port),
            PeerAddress = node.AdvertisedPeerAddress(peerPort),
        };
    }
}
