using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Node.Tests.Support;

/// <summary>Self-signed client certificates with their private keys, as users bring them.</summary>
internal static class TestCertificates
{
    /// <summary>The first member (certificate and key) of a ledger created in <paramref name="dataDirectory"/>.</summary>
    public static X509Certificate2 FirstMember(string dataDirectory) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(dataDirectory, "member0_cert.pem"), Path.Combine(dataDirectory, "member0_key.pem"));

    public static X509Certificate2 CreateEc(string name = "Test User")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        return Exportable(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30)));
    }

    public static X509Certificate2 CreateRsa(string name = "Test RSA User")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Exportable(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30)));
    }

    /// <summary>The user id ACL shows for a certificate: uppercase, colon-separated SHA-256.</summary>
    public static string ColonFingerprint(X509Certificate2 certificate)
        => string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    public static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    // An ephemeral key cannot always be used for a TLS client handshake; a PKCS#12 round trip gives a usable one.
    private static X509Certificate2 Exportable(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
