using System.Security.Cryptography;
using Vellum.Core.Identity;

namespace Vellum.Core.Recovery;

/// <summary>
/// A member's private encryption key, which decrypts the recovery shares dealt to its
/// <see cref="PublicKey"/>. It lives with the member (a file such as <c>member0_enc_key.pem</c>,
/// or an HSM), never in the ledger or on a node.
/// </summary>
public sealed class MemberDecryptionKey : IDisposable
{
    /// <summary>The size of keys that <see cref="Generate"/> makes by default: 128-bit security, as NIST SP 800-57 rates it.</summary>
    public const int DefaultKeySizeBits = 3072;

    private const string Pkcs8Label = "PRIVATE KEY";
    private const string Pkcs1Label = "RSA PRIVATE KEY";

    private readonly RSA _rsa;

    private MemberDecryptionKey(RSA rsa)
    {
        _rsa = rsa;
        PublicKey = MemberEncryptionKey.FromPublicPart(rsa);
    }

    /// <summary>The public half, owned by this key and disposed with it.</summary>
    public MemberEncryptionKey PublicKey { get; }

    /// <summary>Makes a new RSA key of <paramref name="keySizeBits"/> bits from the operating system's random generator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is outside 2048 to 16384 bits or not a multiple of 8.</exception>
    public static MemberDecryptionKey Generate(int keySizeBits = DefaultKeySizeBits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keySizeBits, MemberEncryptionKey.MinKeySizeBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keySizeBits, MemberEncryptionKey.MaxKeySizeBits);
        if (keySizeBits % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(keySizeBits), keySizeBits, "The key size is a whole number of bytes.");
        }

        return new MemberDecryptionKey(RSA.Create(keySizeBits));
    }

    /// <summary>
    /// Reads a key from text holding exactly one unencrypted PKCS#8 <c>PRIVATE KEY</c> block (or an
    /// OpenSSL <c>RSA PRIVATE KEY</c> block) with an RSA key of an accepted size. The caller owns
    /// the returned key.
    /// </summary>
    /// <exception cref="FormatException">The text is not exactly one such block, or the key is not RSA or not of an accepted size.</exception>
    public static MemberDecryptionKey FromPem(string pem)
    {
        var der = Pem.ReadSingleBlock(pem, Pkcs8Label, out var label, Pkcs1Label);
        var rsa = RSA.Create();
        try
        {
            int read;
            try
            {
                if (label == Pkcs8Label)
                {
                    rsa.ImportPkcs8PrivateKey(der, out read);
                }
                else
                {
                    rsa.ImportRSAPrivateKey(der, out read);
                }
            }
            catch (CryptographicException e)
            {
                throw new FormatException($"The {label} block does not hold an RSA private key; member encryption keys are RSA.", e);
            }

            if (read != der.Length)
            {
                throw new FormatException($"The {label} block has {der.Length - read} stray bytes after the key.");
            }

            MemberEncryptionKey.RequireAcceptedSize(rsa.KeySize);
            return new MemberDecryptionKey(rsa);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>The key as one unencrypted PKCS#8 <c>PRIVATE KEY</c> block ending with a newline.</summary>
    public string ToPem()
    {
        var der = _rsa.ExportPkcs8PrivateKey();
        try
        {
            return PemEncoding.WriteString(Pkcs8Label, der) + "\n";
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Decrypts an RSA-OAEP-SHA256 ciphertext made for <see cref="PublicKey"/>.</summary>
    /// <exception cref="CryptographicException">The ciphertext was not made for this key, or was altered.</exception>
    public byte[] Decrypt(ReadOnlySpan<byte> ciphertext) =>
        _rsa.Decrypt(ciphertext.ToArray(), RSAEncryptionPadding.OaepSHA256);

    /// <summary>Releases the key and its public half.</summary>
    public void Dispose()
    {
        PublicKey.Dispose();
        _rsa.Dispose();
    }
}
