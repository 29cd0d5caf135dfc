using System.Security.Cryptography;
using Vellum.Core.Identity;

namespace Vellum.Core.Recovery;

/// <summary>
/// A member's public encryption key: an RSA key of 2048 to 16384 bits that recovery shares are
/// encrypted to with RSA-OAEP, SHA-256 for both the hash and MGF1, and an empty label.
/// </summary>
/// <remarks>
/// RSA-OAEP-SHA256 is what CCF uses for members' encryption keys, so a member can decrypt a
/// share with stock tools and no Vellum code: <c>openssl pkeyutl -decrypt -inkey key.pem
/// -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256</c>.
/// ECIES has no single standard encoding that such tools agree on. Instances are safe to share
/// between threads.
/// </remarks>
public sealed class MemberEncryptionKey : IDisposable
{
    /// <summary>The smallest key size accepted, in bits.</summary>
    public const int MinKeySizeBits = 2048;

    /// <summary>The largest key size accepted, in bits.</summary>
    public const int MaxKeySizeBits = 16384;

    private const string PublicKeyLabel = "PUBLIC KEY";

    // SHA-256 output and the OAEP overhead of two hashes and two bytes (RFC 8017 §7.1.1).
    private const int OaepOverheadBytes = (2 * 32) + 2;

    private readonly RSA _rsa;
    private readonly byte[] _subjectPublicKeyInfo;

    private MemberEncryptionKey(RSA rsa)
    {
        _rsa = rsa;
        _subjectPublicKeyInfo = rsa.ExportSubjectPublicKeyInfo();
        KeyId = Sha256Hash.Of(_subjectPublicKeyInfo);
    }

    /// <summary>SHA-256 of the key's DER <c>SubjectPublicKeyInfo</c>: what shares name their recipient by.</summary>
    public Sha256Hash KeyId { get; }

    /// <summary>The key's size in bits.</summary>
    public int KeySizeBits => _rsa.KeySize;

    /// <summary>The length of every ciphertext this key produces: the modulus length in bytes.</summary>
    public int CiphertextBytes => (_rsa.KeySize + 7) / 8;

    /// <summary>The longest plaintext one encryption can carry.</summary>
    public int MaxPlaintextBytes => CiphertextBytes - OaepOverheadBytes;

    /// <summary>
    /// Reads a key from text holding exactly one <c>PUBLIC KEY</c> (SubjectPublicKeyInfo) block
    /// with an RSA key of an accepted size. The caller owns the returned key.
    /// </summary>
    /// <exception cref="FormatException">The text is not exactly one such block, or the key is not RSA or not of an accepted size.</exception>
    public static MemberEncryptionKey FromPem(string pem)
    {
        var der = Pem.ReadSingleBlock(pem, PublicKeyLabel, out _);
        var rsa = RSA.Create();
        try
        {
            int read;
            try
            {
                rsa.ImportSubjectPublicKeyInfo(der, out read);
            }
            catch (CryptographicException e)
            {
                throw new FormatException("The PUBLIC KEY block does not hold an RSA public key; member encryption keys are RSA.", e);
            }

            if (read != der.Length)
            {
                throw new FormatException($"The PUBLIC KEY block has {der.Length - read} stray bytes after the key.");
            }

            RequireAcceptedSize(rsa.KeySize);
            return new MemberEncryptionKey(rsa);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>The key as one <c>PUBLIC KEY</c> block ending with a newline.</summary>
    public string ToPem() => PemEncoding.WriteString(PublicKeyLabel, _subjectPublicKeyInfo) + "\n";

    /// <summary>Encrypts <paramref name="plaintext"/> to this key with RSA-OAEP-SHA256.</summary>
    /// <exception cref="ArgumentException">The plaintext is longer than <see cref="MaxPlaintextBytes"/>.</exception>
    public byte[] Encrypt(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.Length > MaxPlaintextBytes)
        {
            throw new ArgumentException($"A {KeySizeBits}-bit key encrypts at most {MaxPlaintextBytes} bytes, not {plaintext.Length}.", nameof(plaintext));
        }

        var ciphertext = _rsa.Encrypt(plaintext.ToArray(), RSAEncryptionPadding.OaepSHA256);
        Invariant.Check(ciphertext.Length == CiphertextBytes, "RSA ciphertexts are as long as the modulus");
        return ciphertext;
    }

    /// <summary>Releases the key.</summary>
    public void Dispose() => _rsa.Dispose();

    /// <summary>Takes ownership of <paramref name="rsa"/>'s public part, for <see cref="MemberDecryptionKey"/>.</summary>
    internal static MemberEncryptionKey FromPublicPart(RSA rsa)
    {
        var copy = RSA.Create();
        copy.ImportParameters(rsa.ExportParameters(includePrivateParameters: false));
        return new MemberEncryptionKey(copy);
    }

    /// <exception cref="FormatException">The size is outside the accepted range.</exception>
    internal static void RequireAcceptedSize(int keySizeBits)
    {
        if (keySizeBits is < MinKeySizeBits or > MaxKeySizeBits)
        {
            throw new FormatException($"The RSA key has {keySizeBits} bits; member encryption keys have {MinKeySizeBits} to {MaxKeySizeBits}.");
        }
    }
}
