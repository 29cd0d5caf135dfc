using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Core.Identity;

/// <summary>
/// The TLS check that pins a ledger's identity, as ACL's .NET client makes it: the server's chain,
/// built with the service certificate as the only trust anchor, must end at exactly that
/// certificate. Any other TLS error (a name mismatch, a missing certificate) fails too. The SDK,
/// the CLI and the nodes (towards each other) all pin with this one check.
/// </summary>
public static class ServiceCertificatePin
{
    /// <summary>
    /// A failed TLS handshake with a pinned node, as one line a user can act on: a node refused by
    /// the pin is its usual cause, and the innermost reason replaces "see inner exception".
    /// </summary>
    public static string HandshakeFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"The TLS handshake failed; a node whose certificate chain does not end at the pinned ledger identity is refused: {exception.GetBaseException().Message}";
    }

    /// <summary>Whether <paramref name="presented"/>, with the TLS errors found, chains to <paramref name="service"/> and has no other error.</summary>
    /// <param name="service">The pinned service certificate.</param>
    /// <param name="presented">The server's certificate, or null when it sent none.</param>
    /// <param name="errors">What TLS found wrong; only an untrusted chain is forgiven, since the pin replaces the trust store.</param>
    public static bool ChainEndsAt(X509Certificate2 service, X509Certificate? presented, SslPolicyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(service);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        var built = chain.Build(leaf);
        var endsAtService = built && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(service.RawData);

        // The chain's elements are new certificate objects; release them now rather than at finalization.
        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }

        return endsAtService;
    }
}
