using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Client.Tests.Support;

/// <summary>Self-signed client certificates with their keys, as users bring them, and the ids the ledger knows them by.</summary>
internal static class Users
{
    public static X509Certificate2 NewCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));

        // A PKCS#12 round trip gives a key every platform's TLS stack can use for a client handshake.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The user id of a certificate: the SHA-256 of its DER bytes, lowercase hex.</summary>
    public static string IdOf(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
}
