using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Core.Identity;

/// <summary>
/// The public key of the node certificate a thread verified last. A ledger's signatures come
/// from one node for long runs, and loading a certificate from DER costs several times the
/// verification itself, so every node checking every signature it appends would otherwise spend
/// most of that check parsing the same certificate. Per thread, since a key object is not safe
/// to share between threads.
/// </summary>
internal static class SigningKeyCache
{
    [ThreadStatic]
    private static byte[]? _certificateDer;

    [ThreadStatic]
    private static ECDsa? _key;

    /// <summary>The EC public key of <paramref name="certificateDer"/>; owned by the cache, not to be disposed.</summary>
    /// <exception cref="CryptographicException">The bytes are not a certificate.</exception>
    /// <exception cref="FormatException">The certificate's key is not an EC key.</exception>
    public static ECDsa KeyOf(ReadOnlySpan<byte> certificateDer)
    {
        if (_key is { } cached && certificateDer.SequenceEqual(_certificateDer))
        {
            return cached;
        }

        ECDsa key;
        using (var certificate = X509CertificateLoader.LoadCertificate(certificateDer))
        {
            key = EcKeys.PublicKeyOf(certificate);
        }

        _key?.Dispose();
        _key = key;
        _certificateDer = certificateDer.ToArray();
        return key;
    }
}
