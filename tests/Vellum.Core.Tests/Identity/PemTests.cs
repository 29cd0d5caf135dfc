using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Core.Identity;
using static Vellum.Core.Tests.Identity.TestIdentities;

namespace Vellum.Core.Tests.Identity;

public class PemTests
{
    [Fact]
    public void CertificatePemEndsWithANewlineAndHasNoNul()
    {
        using var service = Service();
        using var node = Node(service);

        foreach (var pem in new[] { service.CertificatePem, node.CertificatePem, Pem.WriteCertificate(node.Certificate) })
        {
            Assert.StartsWith("-----BEGIN CERTIFICATE-----\n", pem, StringComparison.Ordinal);
            Assert.EndsWith("-----END CERTIFICATE-----\n", pem, StringComparison.Ordinal);
            Assert.DoesNotContain('\0', pem);
            Assert.DoesNotContain('\r', pem);
        }
    }

    [Fact]
    public void PrivateKeyPemIsUnencryptedPkcs8EndingWithANewline()
    {
        using var service = Service();

        var pem = service.ExportPrivateKeyPem();

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
        Assert.EndsWith("-----END PRIVATE KEY-----\n", pem, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateRoundTripsThroughPem()
    {
        using var service = Service();

        using var certificate = Pem.ReadCertificate(service.CertificatePem);

        Assert.Equal(service.Certificate.RawData, certificate.RawData);
    }

    [Fact]
    public void PrivateKeyRoundTripsThroughPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var restored = Pem.ReadEcPrivateKey(Pem.WritePrivateKey(key));

        Assert.Equal(key.ExportPkcs8PrivateKey(), restored.ExportPkcs8PrivateKey());
    }

    [Fact]
    public void OpenSslEcPrivateKeyBlockIsAccepted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var restored = Pem.ReadEcPrivateKey(key.ExportECPrivateKeyPem());

        Assert.Equal(key.ExportSubjectPublicKeyInfo(), restored.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void CertificateWithTheTrailingNulOfAclsExampleStillLoads()
    {
        using var certificate = Pem.ReadCertificate(AclVectors.ServiceCertificate1Pem + "\n\0");

        Assert.Equal("CN=CCF Network", certificate.Subject);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a certificate")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")]
    public void TextThatIsNotACertificateIsRejected(string text)
    {
        Assert.Throws<FormatException>(() => Pem.ReadCertificate(text));
    }

    [Fact]
    public void PrivateKeyGivenAsACertificateIsRejectedNamingWhatWasFound()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<FormatException>(() => Pem.ReadCertificate(Pem.WritePrivateKey(key)));

        Assert.Contains("PRIVATE KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoCertificatesWhereOneIsExpectedAreRejected()
    {
        using var service = Service();

        var error = Assert.Throws<FormatException>(() => Pem.ReadCertificate(service.CertificatePem + service.CertificatePem));

        Assert.Contains("exactly one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RsaPrivateKeyIsRejectedAsNotEc()
    {
        using var rsa = RSA.Create(2048);

        var error = Assert.Throws<FormatException>(() => Pem.ReadEcPrivateKey(rsa.ExportPkcs8PrivateKeyPem()));

        Assert.Contains("RSA", error.Message, StringComparison.Ordinal);
        Assert.Contains("not an EC key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptedPrivateKeyIsRejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var encrypted = key.ExportEncryptedPkcs8PrivateKeyPem(
            "secret",
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000));

        var error = Assert.Throws<FormatException>(() => Pem.ReadEcPrivateKey(encrypted));

        Assert.Contains("encrypted", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")]
    [InlineData(AclVectors.ServiceCertificate1Pem)]
    public void TextThatIsNotAnEcPrivateKeyIsRejected(string text)
    {
        Assert.Throws<FormatException>(() => Pem.ReadEcPrivateKey(text));
    }

    [Fact]
    public void RsaCertificateLoadsButIsNotANodeIdentity()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=RSA node", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(Start, Start.AddDays(1));
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var pem = Pem.WriteCertificate(certificate);

        using var loaded = Pem.ReadCertificate(pem);
        var error = Assert.Throws<FormatException>(() => NodeIdentity.FromPem(pem, Pem.WritePrivateKey(ec)));

        Assert.Contains("not an EC key", error.Message, StringComparison.Ordinal);
    }
}
