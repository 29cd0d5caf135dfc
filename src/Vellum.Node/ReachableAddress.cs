using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Node;

/// <summary>How this machine reaches a node: the address for a listen address, and the TLS check that pins the service certificate.</summary>
public static class ReachableAddress
{
    /// <summary>The address to reach a node listening on <paramref name="listen"/> from this machine: loopback for an any-address listener.</summary>
    public static IPAddress For(IPAddress listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        return listen.Equals(IPAddress.Any) ? IPAddress.Loopback
            : listen.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : listen;
    }

    /// <summary>The host part of a <c>host:port</c> for <paramref name="listen"/>, an IPv6 address in brackets.</summary>
    public static string HostFor(IPAddress listen)
    {
        var address = For(listen);
        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    /// <summary>
    /// Whether a TLS server's certificate chains to <paramref name="service"/>, the pinned service
    /// certificate, as ACL's clients check it: no other error than an untrusted chain, which the
    /// pin then replaces.
    /// </summary>
    public static bool ChainEndsAt(X509Certificate2 service, X509Certificate? presented, SslPolicyErrors errors) =>
        Core.Identity.ServiceCertificatePin.ChainEndsAt(service, presented, errors);
}
