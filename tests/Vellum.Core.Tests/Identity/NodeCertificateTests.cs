using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Core.Identity;
using static Vellum.Core.Tests.Identity.TestIdentities;

namespace Vellum.Core.Tests.Identity;

public class NodeCertificateTests
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    [Fact]
    public void NodeCertificateCarriesTheRequiredExtensionsWithTheRightCriticality()
    {
        using var service = Service();
        using var node = Node(service);
        var certificate = node.Certificate;

        var constraints = Extension<X509BasicConstraintsExtension>(certificate);
        Assert.False(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);

        var usage = Extension<X509KeyUsageExtension>(certificate);
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);

        var enhancedUsage = Extension<X509EnhancedKeyUsageExtension>(certificate);
        Assert.False(enhancedUsage.Critical);
        Assert.Equal([ServerAuth, ClientAuth], enhancedUsage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));

        Assert.False(Extension<X509SubjectKeyIdentifierExtension>(certificate).Critical);
        Assert.False(Extension<X509AuthorityKeyIdentifierExtension>(certificate).Critical);
        Assert.False(Extension<X509SubjectAlternativeNameExtension>(certificate).Critical);
    }

    [Fact]
    public void NodeAuthorityKeyIdentifierEqualsTheServiceSubjectKeyIdentifier()
    {
        using var service = Service();
        using var node = Node(service);

        var serviceKeyId = Extension<X509SubjectKeyIdentifierExtension>(service.Certificate).SubjectKeyIdentifierBytes.ToArray();
        var authorityKeyId = Extension<X509AuthorityKeyIdentifierExtension>(node.Certificate).KeyIdentifier!.Value.ToArray();
        var nodeKeyId = Extension<X509SubjectKeyIdentifierExtension>(node.Certificate).SubjectKeyIdentifierBytes.ToArray();

        Assert.Equal(serviceKeyId, authorityKeyId);
        Assert.NotEqual(serviceKeyId, nodeKeyId);
    }

    [Fact]
    public void SubjectAndAlternativeNamesComeFromTheOptions()
    {
        using var service = Service();
        using var node = Node(service, "node-7");

        Assert.Equal("CN=node-7", node.Certificate.Subject);
        Assert.Equal(service.Certificate.Subject, node.Certificate.Issuer);
        var names = Extension<X509SubjectAlternativeNameExtension>(node.Certificate);
        Assert.Equal(["ledger.example", "node-1.ledger.example"], names.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
    }

    [Fact]
    public void NameWithCommasStaysOneCommonName()
    {
        using var service = Service();
        using var node = Node(service, "a, O=Evil");

        var onlyName = Assert.Single(node.Certificate.SubjectName.EnumerateRelativeDistinguishedNames());
        Assert.Equal("a, O=Evil", onlyName.GetSingleElementValue());
    }

    [Fact]
    public void NodeWithoutNamesGetsNoAlternativeNameExtension()
    {
        using var service = Service();
        using var bare = NodeIdentity.Create(service, new NodeCertificateOptions { Name = "bare", NotBefore = Start, Validity = NodeValidity });

        Assert.Empty(bare.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.True(BuildChain(bare.Certificate, service.Certificate).Built);
    }

    [Theory]
    [InlineData("nistP256")]
    [InlineData("nistP384")]
    public void NodeCertificateIsSignedByTheServiceCertificate(string serviceCurve)
    {
        using var service = Service(ECCurve.CreateFromFriendlyName(serviceCurve));
        using var node = Node(service);

        var (built, status, elements) = BuildChain(node.Certificate, service.Certificate);

        Assert.True(built, status);
        Assert.Equal(2, elements.Length);
        Assert.Equal(service.Certificate.RawData, elements[^1].RawData);
        Assert.True(TbsSignatureVerifies(node.Certificate, service.Certificate));
    }

    [Fact]
    public void NodeCertificateDoesNotVerifyUnderAnotherService()
    {
        using var service = Service();
        using var other = Service();
        using var node = Node(service);

        Assert.False(BuildChain(node.Certificate, other.Certificate).Built);
        Assert.False(TbsSignatureVerifies(node.Certificate, other.Certificate));
    }

    [Fact]
    public void NodeCertificateCanBeIssuedForAPublicKeyAlone()
    {
        using var service = Service();
        using var remoteKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var publicOnly = ECDsa.Create();
        publicOnly.ImportSubjectPublicKeyInfo(remoteKey.ExportSubjectPublicKeyInfo(), out _);

        using var certificate = service.IssueNodeCertificate(publicOnly, NodeOptions("remote"));

        Assert.False(certificate.HasPrivateKey);
        Assert.Equal(remoteKey.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.True(BuildChain(certificate, service.Certificate).Built);

        // The remote node, holding the private key, can then assemble its identity.
        using var remote = NodeIdentity.FromPem(Pem.WriteCertificate(certificate), Pem.WritePrivateKey(remoteKey));
        var root = Sha256Hash.Of("remote root"u8);
        Assert.True(NodeIdentity.VerifyRootSignature(certificate, root, remote.SignRoot(root)));
    }

    [Fact]
    public void NodeKeyIsP256()
    {
        using var service = Service(ECCurve.NamedCurves.nistP384);
        using var node = Node(service);

        using var key = node.Certificate.GetECDsaPublicKey()!;
        Assert.Equal(256, key.KeySize);
        Assert.Equal("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value);
    }

    [Fact]
    public void NodeKeyOnAnotherCurveIsRejected()
    {
        using var service = Service();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<ArgumentException>(() => service.IssueNodeCertificate(p384, NodeOptions()));

        Assert.Equal("nodePublicKey", error.ParamName);
        Assert.Contains("P-384", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(0.25)]
    public void NodeValidityUnderOneSecondIsRejected(double seconds)
    {
        using var service = Service();

        Assert.Throws<ArgumentOutOfRangeException>(() => NodeIdentity.Create(service, new NodeCertificateOptions
        {
            Name = "n",
            NotBefore = Start,
            Validity = TimeSpan.FromSeconds(seconds),
        }));
    }

    [Fact]
    public void NodeValidityOutsideTheServiceValidityIsRejected()
    {
        using var service = Service();

        Assert.Throws<ArgumentOutOfRangeException>(() => NodeIdentity.Create(service, new NodeCertificateOptions
        {
            Name = "early",
            NotBefore = Start.AddSeconds(-1),
            Validity = NodeValidity,
        }));
        Assert.Throws<ArgumentOutOfRangeException>(() => NodeIdentity.Create(service, new NodeCertificateOptions
        {
            Name = "late",
            NotBefore = Start,
            Validity = ServiceValidity + TimeSpan.FromSeconds(1),
        }));
    }

    [Fact]
    public void NodeMayShareTheServiceWindowEvenWithFractionalSeconds()
    {
        var notBefore = Start.AddMilliseconds(250);
        using var service = ServiceIdentity.Create(new ServiceCertificateOptions { NotBefore = notBefore, Validity = NodeValidity });

        using var node = NodeIdentity.Create(service, new NodeCertificateOptions { Name = "n", NotBefore = notBefore, Validity = NodeValidity });

        Assert.Equal(service.Certificate.NotBefore, node.Certificate.NotBefore);
        Assert.Equal(service.Certificate.NotAfter, node.Certificate.NotAfter);
    }

    [Fact]
    public void BlankNodeNameOrDnsNameIsRejected()
    {
        using var service = Service();

        Assert.Throws<ArgumentException>(() => NodeIdentity.Create(service, new NodeCertificateOptions { Name = "", NotBefore = Start, Validity = NodeValidity }));
        Assert.Throws<ArgumentException>(() => NodeIdentity.Create(service, new NodeCertificateOptions { Name = "n", DnsNames = [" "], NotBefore = Start, Validity = NodeValidity }));
    }

    [Fact]
    public void SerialNumbersArePositiveAndDistinct()
    {
        using var service = Service();
        using var first = Node(service);
        using var second = Node(service);

        Assert.All([service.Certificate, first.Certificate, second.Certificate], c => Assert.InRange(c.SerialNumberBytes.Span[0], 0x01, 0x7F));
        Assert.NotEqual(first.Certificate.SerialNumber, second.Certificate.SerialNumber);
    }
}
