using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Core.Tests.Receipts;

/// <summary>
/// Test certificates made with <see cref="CertificateRequest"/>: a self-signed service CA, node
/// certificates it issues, and intermediate endorsements. Dates are fixed so that runs are
/// reproducible; the verifier ignores them anyway.
/// </summary>
internal sealed class TestPki : IDisposable
{
    private static readonly DateTimeOffset NotBefore = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = new(2040, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static int _serial;

    private TestPki(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        Key = key;
    }

    /// <summary>The certificate, with its private key attached so that it can issue others.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate's EC key pair.</summary>
    public ECDsa Key { get; }

    /// <summary>The certificate as PEM.</summary>
    public string Pem => Certificate.ExportCertificatePem();

    /// <summary>A self-signed CA, as a Vellum or CCF service identity is.</summary>
    public static TestPki CreateServiceCa(string name = "Test Service", ECCurve? curve = null, HashAlgorithmName? hash = null)
    {
        var key = ECDsa.Create(curve ?? ECCurve.NamedCurves.nistP256);
        var request = Request(name, key, hash ?? HashAlgorithmName.SHA256, isCa: true);
        return new TestPki(request.CreateSelfSigned(NotBefore, NotAfter), key);
    }

    /// <summary>A certificate issued by this one: a node certificate, or with <paramref name="isCa"/> an endorsement.</summary>
    public TestPki Issue(string name, bool isCa = false, ECCurve? curve = null, HashAlgorithmName? hash = null)
    {
        var key = ECDsa.Create(curve ?? ECCurve.NamedCurves.nistP256);
        var request = Request(name, key, hash ?? HashAlgorithmName.SHA256, isCa);
        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial) + 1000);
        using var certificate = request.Create(Certificate, NotBefore.AddDays(1), NotAfter.AddDays(-1), serial);
        return new TestPki(certificate.CopyWithPrivateKey(key), key);
    }

    /// <summary>A PEM certificate with an RSA key issued by this one, to test the EC-only rule.</summary>
    public string IssueRsa(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial) + 1000);
        using var certificate = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(Key), NotBefore.AddDays(1), NotAfter.AddDays(-1), serial);
        return certificate.ExportCertificatePem();
    }

    /// <summary>A self-signed RSA CA as PEM, to test that the service certificate must be EC.</summary>
    public static string CreateRsaServiceCaPem()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=RSA Service", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(NotBefore, NotAfter);
        return certificate.ExportCertificatePem();
    }

    /// <summary>Signs a Merkle root as a CCF node does: the root is the digest, the signature is DER.</summary>
    public byte[] SignRoot(Sha256Hash root) => Key.SignHash(root.Bytes.ToArray(), DSASignatureFormat.Rfc3279DerSequence);

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }

    private static CertificateRequest Request(string name, ECDsa key, HashAlgorithmName hash, bool isCa)
    {
        var request = new CertificateRequest($"CN={name}", key, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, true));
        return request;
    }
}
