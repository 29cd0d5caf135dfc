using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Consensus;
using Vellum.Core.Identity;
using Vellum.Node.Replication;

namespace Vellum.Node.Tests.Replication;

/// <summary>A service identity and the node identities it issues, on a fixed calendar the tests' clocks share.</summary>
internal sealed class TestService : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset DuringValidity = Start.AddDays(30);

    private readonly List<IDisposable> _owned = [];

    public TestService(string name = "Replication Test Service")
    {
        Identity = ServiceIdentity.Create(new ServiceCertificateOptions { CommonName = name, NotBefore = Start, Validity = TimeSpan.FromDays(3650) });
        _owned.Add(Identity);
    }

    public ServiceIdentity Identity { get; }

    public X509Certificate2 Certificate => Identity.Certificate;

    /// <summary>A node of this service: its id and its certificate with the private key, as the transport needs them.</summary>
    public TestPeer Node(string name)
    {
        var identity = NodeIdentity.Create(Identity, new NodeCertificateOptions
        {
            Name = name,
            DnsNames = ["localhost"],
            IpAddresses = [IPAddress.Loopback],
            NotBefore = Start,
            Validity = TimeSpan.FromDays(365),
        });
        var withKey = identity.CreateCertificateWithPrivateKey();
        _owned.Add(identity);
        _owned.Add(withKey);
        return new TestPeer(name, new NodeId(identity.NodeId), withKey);
    }

    /// <summary>A certificate no service issued, with both TLS key usages, as an impostor might bring.</summary>
    public TestPeer SelfSigned(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")],
            critical: false));
        var certificate = request.CreateSelfSigned(Start, Start.AddDays(365));
        _owned.Add(certificate);
        return new TestPeer(name, NodeIds.FromCertificate(certificate), certificate);
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
