using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vellum.Core.Identity;
using Vellum.Core.Recovery;

namespace Vellum.Node.Setup;

/// <summary>
/// The consortium's first member, made when a ledger is created: its certificate always, its
/// signing key and encryption key when the node made the member, and the public encryption key
/// whenever the member has one (docs/operations.md lists the files).
/// </summary>
internal static class MemberSetup
{
    /// <summary>
    /// The size of the encryption key the node makes for the first member. CCF makes 2048-bit
    /// member encryption keys too; generating one takes about 250 ms on a 2-core machine,
    /// where 3072 bits takes nearly three times that on every test and first start.
    /// </summary>
    public const int EncryptionKeySizeBits = 2048;

    /// <exception cref="NodeStartException">The given encryption key is not an accepted RSA public key.</exception>
    public static void WriteFirstMember(DataDirectory directory, X509Certificate2? given, string? givenEncryptionKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (given is not null)
        {
            if (givenEncryptionKey is not null)
            {
                directory.WritePublic(directory.MemberEncryptionPublicKey, Encoding.UTF8.GetBytes(CheckedPublicKey(givenEncryptionKey)));
            }

            directory.WritePublic(directory.MemberCertificate, Encoding.UTF8.GetBytes(Pem.WriteCertificate(given)));
            return;
        }

        using (var encryptionKey = MemberDecryptionKey.Generate(EncryptionKeySizeBits))
        {
            directory.WriteSecret(directory.MemberEncryptionKey, Encoding.UTF8.GetBytes(encryptionKey.ToPem()));
            directory.WritePublic(directory.MemberEncryptionPublicKey, Encoding.UTF8.GetBytes(encryptionKey.PublicKey.ToPem()));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Vellum Member 0", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        directory.WriteSecret(directory.MemberKey, Encoding.UTF8.GetBytes(Pem.WritePrivateKey(key)));
        directory.WritePublic(directory.MemberCertificate, Encoding.UTF8.GetBytes(Pem.WriteCertificate(certificate)));
    }

    /// <summary>The first member's public encryption key, or null when it holds no recovery share.</summary>
    public static string? ReadEncryptionKey(DataDirectory directory) =>
        File.Exists(directory.MemberEncryptionPublicKey) ? File.ReadAllText(directory.MemberEncryptionPublicKey) : null;

    private static string CheckedPublicKey(string pem)
    {
        try
        {
            using var key = MemberEncryptionKey.FromPem(pem);
            return key.ToPem();
        }
        catch (FormatException exception)
        {
            throw new NodeStartException($"The member's encryption key is not usable: {exception.Message}", exception);
        }
    }
}
