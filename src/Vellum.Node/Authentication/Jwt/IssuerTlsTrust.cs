using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// Builds the HTTP handler used to reach issuers: system trust by default, or, when trust anchors
/// are configured, a chain that must end at one of them. The host name is checked in both cases.
/// </summary>
internal static class IssuerTlsTrust
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>A handler that trusts the system roots, or only <paramref name="anchors"/> when given.</summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2Collection? anchors)
    {
        var handler = new SocketsHttpHandler
        {
            // Issuers serve discovery documents and key sets directly; not following redirects
            // keeps every request on the https address the configuration or document named.
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(15),
        };
        if (anchors is { Count: > 0 })
        {
            var pinned = new X509Certificate2Collection(anchors);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ChainEndsAtAnchor(certificate, chain, errors, pinned),
            };
        }

        return handler;
    }

    private static bool ChainEndsAtAnchor(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection anchors)
    {
        // Only chain errors are re-judged here; a missing certificate or a wrong host name stays fatal.
        if (certificate is not X509Certificate2 leaf || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid(ServerAuthenticationOid));
        if (presented is not null)
        {
            foreach (var element in presented.ChainPolicy.ExtraStore)
            {
                chain.ChainPolicy.ExtraStore.Add(element);
            }
        }

        return chain.Build(leaf);
    }
}
