using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary>What the node's TLS endpoint presents and accepts, seen from a real client on loopback.</summary>
public sealed class TlsTests(IssuerNode node) : IClassFixture<IssuerNode>
{
    [Fact]
    public async Task ClientLimitedToTls12CannotConnect()
    {
        var client = node.Node.Client(node.Node.Admin, protocols: SslProtocols.Tls12);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/node/ready"));

        Assert.IsType<AuthenticationException>(failure.InnerException);
    }

    [Fact]
    public async Task ServedCertificateChainsToExactlyTheIdentityCertificate()
    {
        var (leaf, sent) = await HandshakeAsync("127.0.0.1");
        using (leaf)
        {
            var identity = await IdentityCertificateAsync();

            // The node sends its own certificate and nothing but the identity certificate besides.
            // (.NET on Linux leaves a self-signed issuer out of the chain it sends, as TLS 1.3
            // allows for a trust anchor; every ACL client pins the identity certificate anyway.)
            Assert.Contains(sent, certificate => certificate.RawData.AsSpan().SequenceEqual(leaf.RawData));
            Assert.All(
                sent.Where(certificate => !certificate.RawData.AsSpan().SequenceEqual(leaf.RawData)),
                certificate => Assert.Equal(identity.RawData, certificate.RawData));
            Assert.Equal(identity.SubjectName.RawData, leaf.IssuerName.RawData);

            // As ACL's .NET client checks it: a chain that ends at exactly the identity certificate.
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(identity);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation)));
            Assert.Equal(2, chain.ChainElements.Count);
            Assert.Equal(identity.RawData, chain.ChainElements[^1].Certificate.RawData);
        }
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task NodeCertificateNamesTheLoopbackAddressAndLocalhost(string host)
    {
        // The handshake checks the name against the certificate's SAN, as ACL's JavaScript and Python clients do.
        var (leaf, _) = await HandshakeAsync(host);
        using (leaf)
        {
            var names = Assert.Single(leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>());
            Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
            Assert.Contains("localhost", names.EnumerateDnsNames());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("?api-version=2022-05-13")]
    [InlineData("?api-version=2024-12-09-preview&api-version=2022-05-13")]
    [InlineData("?api-version=not-a-version")]
    public async Task IdentityEndpointNeedsNoClientCertificateAndIgnoresTheApiVersion(string query)
    {
        using var response = await node.Node.Client(null).GetAsync($"/ledgerIdentity/{node.Node.Node.LedgerName}{query}");

        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await TestNode.ReadJsonAsync(response);
        Assert.Equal(node.Node.Node.LedgerName, body.GetProperty("ledgerId").GetString());
        Assert.Equal(node.Node.Node.ServiceCertificatePem, body.GetProperty("ledgerTlsCertificate").GetString());
    }

    private async Task<X509Certificate2> IdentityCertificateAsync()
    {
        using var response = await node.Node.Client(null).GetAsync($"/ledgerIdentity/{node.Node.Node.LedgerName}");
        return X509Certificate2.CreateFromPem((await TestNode.ReadJsonAsync(response)).GetProperty("ledgerTlsCertificate").GetString());
    }

    /// <summary>
    /// Completes a TLS 1.3 handshake with the node as <paramref name="host"/>, refusing a name
    /// mismatch, and returns the node's certificate and every certificate the node sent.
    /// </summary>
    private async Task<(X509Certificate2 Leaf, List<X509Certificate2> Sent)> HandshakeAsync(string host)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, node.Node.Node.Endpoint.Port);
        List<X509Certificate2> sent = [];
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, _, chain, errors) =>
            {
                sent.AddRange(chain!.ChainPolicy.ExtraStore.Select(certificate => X509CertificateLoader.LoadCertificate(certificate.RawData)));
                return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None;
            },
        });
        Assert.Equal(SslProtocols.Tls13, tls.SslProtocol);
        return (X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData()), sent);
    }
}
