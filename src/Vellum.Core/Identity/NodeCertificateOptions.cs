using System.Net;

namespace Vellum.Core.Identity;

/// <summary>What to put in a node certificate issued by a <see cref="ServiceIdentity"/>.</summary>
public sealed class NodeCertificateOptions
{
    /// <summary>The node's name; the subject is <c>CN=&lt;Name&gt;</c>.</summary>
    public required string Name { get; init; }

    /// <summary>DNS names that clients use to reach the node; they go into the subject alternative names.</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>IP addresses that clients use to reach the node; they go into the subject alternative names.</summary>
    public IReadOnlyList<IPAddress> IpAddresses { get; init; } = [];

    /// <summary>The start of validity; cut to whole seconds, and not before the service certificate's.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>How long the certificate is valid; at least one second, and not past the service certificate's end.</summary>
    public required TimeSpan Validity { get; init; }
}
