using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Core.Identity;
using static Vellum.Core.Tests.Identity.TestIdentities;

namespace Vellum.Core.Tests.Identity;

public class ServiceIdentityTests
{
    [Fact]
    public void ServiceCertificateIsACriticalCaWithKeyCertSignAndKeyIdentifiers()
    {
        using var service = Service();
        var certificate = service.Certificate;

        var constraints = Extension<X509BasicConstraintsExtension>(certificate);
        Assert.True(constraints.Critical);
        Assert.True(constraints.CertificateAuthority);
        Assert.False(constraints.HasPathLengthConstraint);

        var usage = Extension<X509KeyUsageExtension>(certificate);
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);

        var subjectKeyIdentifier = Extension<X509SubjectKeyIdentifierExtension>(certificate);
        Assert.False(subjectKeyIdentifier.Critical);
        Assert.Equal(20, subjectKeyIdentifier.SubjectKeyIdentifierBytes.Length);

        var authorityKeyIdentifier = Extension<X509AuthorityKeyIdentifierExtension>(certificate);
        Assert.Equal(subjectKeyIdentifier.SubjectKeyIdentifierBytes.ToArray(), authorityKeyIdentifier.KeyIdentifier!.Value.ToArray());
    }

    [Fact]
    public void ServiceCertificateIsSelfSignedAndTrustedAsItsOwnRoot()
    {
        using var service = Service();

        Assert.Equal(service.Certificate.Subject, service.Certificate.Issuer);
        Assert.True(TbsSignatureVerifies(service.Certificate, service.Certificate));
        var (built, status, _) = BuildChain(service.Certificate, service.Certificate);
        Assert.True(built, status);
    }

    [Fact]
    public void SubjectDefaultsToVellumServiceAndTakesTheCallersName()
    {
        using var byDefault = Service();
        using var named = Service(commonName: "Contoso Ledger");

        Assert.Equal("CN=Vellum Service", byDefault.Certificate.Subject);
        Assert.Equal("CN=Contoso Ledger", named.Certificate.Subject);
    }

    [Fact]
    public void ValidityIsTheGivenStartPlusTheGivenPeriodCutToWholeSeconds()
    {
        using var service = ServiceIdentity.Create(new ServiceCertificateOptions
        {
            NotBefore = Start.AddMilliseconds(999),
            Validity = TimeSpan.FromDays(30),
        });

        Assert.Equal(Start.UtcDateTime, service.Certificate.NotBefore.ToUniversalTime());
        Assert.Equal(Start.AddDays(30).UtcDateTime, service.Certificate.NotAfter.ToUniversalTime());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(0.5)]
    public void ValidityUnderOneSecondIsRejected(double seconds)
    {
        var options = new ServiceCertificateOptions { NotBefore = Start, Validity = TimeSpan.FromSeconds(seconds) };

        Assert.Throws<ArgumentOutOfRangeException>(() => ServiceIdentity.Create(options));
    }

    [Fact]
    public void BlankCommonNameIsRejected()
    {
        Assert.Throws<ArgumentException>(() => Service(commonName: " "));
    }

    [Fact]
    public void CurveDefaultsToP256AndP384CanBeChosen()
    {
        using var p256 = Service();
        using var p384 = Service(ECCurve.NamedCurves.nistP384);

        Assert.Equal(256, p256.Certificate.GetECDsaPublicKey()!.KeySize);
        Assert.Equal("1.2.840.10045.4.3.2", p256.Certificate.SignatureAlgorithm.Value);
        Assert.Equal(384, p384.Certificate.GetECDsaPublicKey()!.KeySize);
        Assert.Equal("1.2.840.10045.4.3.3", p384.Certificate.SignatureAlgorithm.Value);
    }

    [Fact]
    public void CurveOutsideTheNistSetIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Service(ECCurve.NamedCurves.brainpoolP256r1));

        Assert.Contains("P-256, P-384 or P-521", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PemRoundTripGivesAServiceWhoseNodeCertificatesVerifyUnderTheOriginal()
    {
        using var original = Service();

        using var restored = ServiceIdentity.FromPem(original.CertificatePem, original.ExportPrivateKeyPem());
        using var node = Node(restored);

        Assert.Equal(original.CertificatePem, restored.CertificatePem);
        Assert.True(TbsSignatureVerifies(node.Certificate, original.Certificate));
        Assert.True(BuildChain(node.Certificate, original.Certificate).Built);
    }

    [Fact]
    public void ASecretDerivedFromTheKeyIsTheSameOnEveryHolderAndDiffersByLabelAndService()
    {
        using var original = Service();
        using var restored = ServiceIdentity.FromPem(original.CertificatePem, original.ExportPrivateKeyPem());
        using var other = Service();

        var secret = original.DeriveSecret("label a");

        Assert.Equal(32, secret.Length);
        Assert.Equal(secret, restored.DeriveSecret("label a"));
        Assert.NotEqual(secret, original.DeriveSecret("label b"));
        Assert.NotEqual(secret, other.DeriveSecret("label a"));
    }

    [Fact]
    public void PrivateKeyOfAnotherServiceIsRejected()
    {
        using var service = Service();
        using var other = Service();

        var error = Assert.Throws<ArgumentException>(() => ServiceIdentity.FromPem(service.CertificatePem, other.ExportPrivateKeyPem()));

        Assert.Equal("privateKeyPem", error.ParamName);
        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateKeyOnAnotherCurveIsRejectedNamingBothCurves()
    {
        using var service = Service();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var error = Assert.Throws<ArgumentException>(() => ServiceIdentity.FromPem(service.CertificatePem, Pem.WritePrivateKey(p384)));

        Assert.Contains("P-384", error.Message, StringComparison.Ordinal);
        Assert.Contains("P-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeCertificateCannotBeLoadedAsAServiceIdentity()
    {
        using var service = Service();
        using var node = Node(service);

        var error = Assert.Throws<FormatException>(() => ServiceIdentity.FromPem(node.CertificatePem, node.ExportPrivateKeyPem()));

        Assert.Contains("not a CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RsaCertificateIsRejectedAsNotEc()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=RSA CA", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority());
        using var certificate = request.CreateSelfSigned(Start, Start.AddDays(1));
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var error = Assert.Throws<FormatException>(() => ServiceIdentity.FromPem(Pem.WriteCertificate(certificate), Pem.WritePrivateKey(ec)));

        Assert.Contains("not an EC key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DisposedServiceRefusesToIssue()
    {
        var service = Service();
        service.Dispose();

        Assert.Throws<ObjectDisposedException>(() => NodeIdentity.Create(service, NodeOptions()));
        Assert.Throws<ObjectDisposedException>(() => service.ExportPrivateKeyPem());
    }
}
