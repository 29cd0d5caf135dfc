using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Core.Identity;

/// <summary>Checks on the EC keys that identities hold and certify.</summary>
internal static class EcKeys
{
    /// <summary>The OID of NIST P-256, the only node curve.</summary>
    public const string P256 = "1.2.840.10045.3.1.7";

    /// <summary>The OID of NIST P-384.</summary>
    public const string P384 = "1.3.132.0.34";

    /// <summary>The OID of NIST P-521.</summary>
    public const string P521 = "1.3.132.0.35";

    // A fixed digest to sign when proving that a private key belongs to a certificate; any value
    // works because the check is that the certificate's public key verifies the signature.
    private static readonly byte[] ProbeDigest = SHA256.HashData("Vellum identity key match probe"u8);

    /// <summary>The key's curve OID, or null when the curve is not a named one.</summary>
    public static string? CurveOid(ECDsa key) => key.ExportParameters(false).Curve.Oid?.Value;

    /// <summary>A readable curve name for error messages.</summary>
    public static string CurveName(string? oid) => oid switch
    {
        P256 => "P-256",
        P384 => "P-384",
        P521 => "P-521",
        null => "an unnamed curve",
        _ => new Oid(oid).FriendlyName ?? oid,
    };

    /// <summary>
    /// The hash that certificate signatures by <paramref name="key"/> use, sized to the curve as
    /// RFC 5480 recommends so that the hash is never the weaker half of the signature.
    /// </summary>
    public static HashAlgorithmName SignatureHash(ECDsa key) => CurveOid(key) switch
    {
        P384 => HashAlgorithmName.SHA384,
        P521 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    /// <summary>The certificate's EC public key.</summary>
    /// <exception cref="FormatException">The certificate's key is not an EC key.</exception>
    public static ECDsa PublicKeyOf(X509Certificate2 certificate) =>
        certificate.GetECDsaPublicKey()
        ?? throw new FormatException($"The certificate \"{certificate.Subject}\" has a {certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value} key, not an EC key.");

    /// <summary>
    /// Throws unless <paramref name="privateKey"/> is the private half of the certificate's key:
    /// same curve, and a signature by it verifies under the certificate.
    /// </summary>
    /// <exception cref="ArgumentException">The key does not match the certificate.</exception>
    public static void RequireMatch(X509Certificate2 certificate, ECDsa privateKey, string paramName)
    {
        using var publicKey = PublicKeyOf(certificate);
        var certificateCurve = CurveOid(publicKey);
        var keyCurve = CurveOid(privateKey);
        if (certificateCurve != keyCurve)
        {
            throw new ArgumentException(
                $"The private key is on {CurveName(keyCurve)} but the certificate \"{certificate.Subject}\" has a {CurveName(certificateCurve)} key.",
                paramName);
        }

        // Comparing public points alone would trust a key file whose stored public point was
        // edited; a signature shows the private scalar itself belongs to the certificate.
        var signature = privateKey.SignHash(ProbeDigest, DSASignatureFormat.Rfc3279DerSequence);
        if (!publicKey.VerifyHash(ProbeDigest, signature, DSASignatureFormat.Rfc3279DerSequence))
        {
            throw new ArgumentException(
                $"The private key does not match the public key of the certificate \"{certificate.Subject}\".",
                paramName);
        }
    }
}
