using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Consensus;

namespace Vellum.Node.Replication;

/// <summary>
/// The TLS settings of node-to-node connections: TLS 1.3 only, each side presenting its node
/// certificate, each accepting only a node certificate of this service (see
/// <see cref="PeerCertificateCheck"/>), and an ALPN name of our own so that neither side mistakes
/// another TLS service, such as a node's HTTPS port, for a peer.
/// </summary>
internal sealed class PeerTls
{
    /// <summary>The ALPN protocol name of this transport and wire format version.</summary>
    public static readonly SslApplicationProtocol ApplicationProtocol = new("vellum-raft/1");

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "serverAuth");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "clientAuth");

    private readonly SslStreamCertificateContext _context;
    private readonly X509Certificate2 _service;
    private readonly TimeProvider _time;

    public PeerTls(PeerTransportOptions options)
    {
        _context = SslStreamCertificateContext.Create(options.NodeCertificate, additionalCertificates: null, offline: true);
        _service = options.ServiceCertificate;
        _time = options.TimeProvider;
    }

    /// <summary>Settings for accepting a connection from any node of the service; the check learns which node it is.</summary>
    public SslServerAuthenticationOptions ServerOptions(out PeerCertificateCheck check)
    {
        var verdict = new PeerCertificateCheck(_service, _time, ClientAuthentication, expected: null);
        check = verdict;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _context,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = [ApplicationProtocol],
            RemoteCertificateValidationCallback = verdict.Validate,
        };
    }

    /// <summary>Settings for calling <paramref name="expected"/> at <paramref name="host"/>.</summary>
    public SslClientAuthenticationOptions ClientOptions(string host, NodeId expected, out PeerCertificateCheck check)
    {
        var verdict = new PeerCertificateCheck(_service, _time, ServerAuthentication, expected);
        check = verdict;
        return new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ClientCertificateContext = _context,
            EnabledSslProtocols = SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ApplicationProtocols = [ApplicationProtocol],
            RemoteCertificateValidationCallback = verdict.Validate,
        };
    }

    /// <summary>Refuses a connection whose handshake did not agree on our protocol name.</summary>
    /// <exception cref="AuthenticationException">The other side does not speak this transport's protocol.</exception>
    public static void RequireOurProtocol(SslStream stream)
    {
        if (stream.NegotiatedApplicationProtocol != ApplicationProtocol)
        {
            throw new AuthenticationException($"The other side did not agree to the {ApplicationProtocol} protocol.");
        }
    }
}
