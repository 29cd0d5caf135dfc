using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Core.Identity;

/// <summary>
/// PEM text for certificates and EC private keys, to and from strings: Core does no file I/O,
/// so callers read and write the files themselves.
/// </summary>
public static class Pem
{
    private const string CertificateLabel = "CERTIFICATE";
    private const string Pkcs8Label = "PRIVATE KEY";
    private const string Sec1Label = "EC PRIVATE KEY";
    private const string EncryptedPkcs8Label = "ENCRYPTED PRIVATE KEY";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <summary>
    /// The certificate as one <c>CERTIFICATE</c> block ending with a newline, with no trailing NUL
    /// (ACL's own example identity response carries one, which clients must then trim).
    /// </summary>
    public static string WriteCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return WriteCertificate(certificate.RawData);
    }

    /// <summary>A DER-encoded certificate as one <c>CERTIFICATE</c> block ending with a newline.</summary>
    public static string WriteCertificate(ReadOnlySpan<byte> certificateDer) => PemEncoding.WriteString(CertificateLabel, certificateDer) + "\n";

    /// <summary>
    /// Reads a certificate from text holding exactly one <c>CERTIFICATE</c> block. Trailing NULs
    /// and whitespace around the block are tolerated. The caller owns the returned certificate.
    /// </summary>
    /// <exception cref="FormatException">The text is not exactly one well-formed certificate block.</exception>
    public static X509Certificate2 ReadCertificate(string pem)
    {
        var der = ReadSingleBlock(pem, CertificateLabel, out _);
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new FormatException("The CERTIFICATE block does not hold a valid X.509 certificate.", e);
        }
    }

    /// <summary>The key's private part as an unencrypted PKCS#8 <c>PRIVATE KEY</c> block ending with a newline.</summary>
    public static string WritePrivateKey(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var der = key.ExportPkcs8PrivateKey();
        try
        {
            return PemEncoding.WriteString(Pkcs8Label, der) + "\n";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>
    /// Reads an EC private key from text holding exactly one unencrypted PKCS#8 <c>PRIVATE KEY</c>
    /// block (or an OpenSSL <c>EC PRIVATE KEY</c> block). The caller owns the returned key.
    /// </summary>
    /// <exception cref="FormatException">The text is not exactly one well-formed, unencrypted EC private key block.</exception>
    public static ECDsa ReadEcPrivateKey(string pem)
    {
        var der = ReadSingleBlock(pem, Pkcs8Label, out var label, Sec1Label);
        var key = ECDsa.Create();
        try
        {
            var read = label == Pkcs8Label ? ImportPkcs8(key, der) : ImportSec1(key, der);
            if (read != der.Length)
            {
                throw new FormatException($"The {label} block has {der.Length - read} stray bytes after the key.");
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    private static int ImportPkcs8(ECDsa key, byte[] der)
    {
        RequireEcAlgorithm(der);
        try
        {
            key.ImportPkcs8PrivateKey(der, out var read);
            return read;
        }
        catch (CryptographicException e)
        {
            throw new FormatException("The PRIVATE KEY block does not hold a valid EC private key.", e);
        }
    }

    private static int ImportSec1(ECDsa key, byte[] der)
    {
        try
        {
            key.ImportECPrivateKey(der, out var read);
            return read;
        }
        catch (CryptographicException e)
        {
            throw new FormatException("The EC PRIVATE KEY block does not hold a valid EC private key.", e);
        }
    }

    // PKCS#8 names the key's algorithm before the key itself, so reading that name lets the error
    // say "this is an RSA key" instead of the importer's generic complaint.
    private static void RequireEcAlgorithm(byte[] der)
    {
        string algorithm;
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
            _ = info.ReadInteger();
            algorithm = info.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException e)
        {
            throw new FormatException("The PRIVATE KEY block is not PKCS#8.", e);
        }

        if (algorithm != EcPublicKeyOid)
        {
            var name = new Oid(algorithm).FriendlyName ?? algorithm;
            throw new FormatException($"The private key is a {name} key, not an EC key.");
        }
    }

    /// <summary>
    /// The DER bytes of the one PEM block in <paramref name="text"/>, which must be labelled
    /// <paramref name="expected"/> (or <paramref name="alternative"/>); shared with the recovery
    /// keys so that every PEM reader in Core fails with the same messages.
    /// </summary>
    internal static byte[] ReadSingleBlock(string text, string expected, out string label, string? alternative = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var all = text.AsSpan().TrimEnd('\0');
        var labels = new List<string>();
        var first = default(PemFields);
        var offset = 0;
        while (PemEncoding.TryFind(all[offset..], out var fields))
        {
            if (labels.Count == 0)
            {
                first = fields;
            }

            labels.Add(all[offset..][fields.Label].ToString());
            offset += fields.Location.End.Value;
        }

        var wanted = alternative is null ? expected : $"{expected} or {alternative}";
        if (labels.Count == 0)
        {
            throw new FormatException($"The text holds no PEM block; expected one {wanted} block.");
        }

        label = labels[0];
        if (labels.Count > 1)
        {
            throw new FormatException($"The text holds {labels.Count} PEM blocks ({string.Join(", ", labels)}); expected exactly one {wanted} block.");
        }

        if (label == EncryptedPkcs8Label && expected == Pkcs8Label)
        {
            throw new FormatException("The private key is encrypted; only unencrypted PKCS#8 keys are supported.");
        }

        if (label != expected && label != alternative)
        {
            throw new FormatException($"The text holds a {label} block; expected a {wanted} block.");
        }

        // Decoding only now means a block of the wrong kind, perhaps a private key pasted where a
        // certificate belongs, is never copied out of the caller's string.
        return Decode(all[first.Base64Data], first.DecodedDataLength);
    }

    private static byte[] Decode(ReadOnlySpan<char> base64, int length)
    {
        var der = new byte[length];
        var decoded = Convert.TryFromBase64Chars(base64, der, out var written);
        Invariant.Check(decoded && written == length, "PemEncoding.TryFind only finds valid base64");
        return der;
    }
}
