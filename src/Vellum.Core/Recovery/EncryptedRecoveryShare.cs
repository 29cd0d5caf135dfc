using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Vellum.Core.Recovery;

/// <summary>
/// A <see cref="RecoveryShare"/> encrypted to one member's <see cref="MemberEncryptionKey"/>, as
/// the ledger stores it. The x coordinate, deal id and key id are public so that the service can
/// hand each member its share without decrypting anything. The layout is in
/// docs/storage-format.md, "Recovery shares".
/// </summary>
public sealed class EncryptedRecoveryShare
{
    /// <summary>The format version written and read.</summary>
    public const byte Version = 1;

    /// <summary>The length of everything before the ciphertext.</summary>
    public const int HeaderBytes = 56;

    private static readonly int MinCiphertextBytes = MemberEncryptionKey.MinKeySizeBits / 8;
    private static readonly int MaxCiphertextBytes = MemberEncryptionKey.MaxKeySizeBits / 8;

    private readonly byte[] _ciphertext;

    private EncryptedRecoveryShare(byte x, DealId dealId, Sha256Hash keyId, byte[] ciphertext)
    {
        X = x;
        DealId = dealId;
        KeyId = keyId;
        _ciphertext = ciphertext;
    }

    /// <summary>The share's x coordinate.</summary>
    public byte X { get; }

    /// <summary>The deal the share belongs to.</summary>
    public DealId DealId { get; }

    /// <summary>The <see cref="MemberEncryptionKey.KeyId"/> of the key the share is encrypted to.</summary>
    public Sha256Hash KeyId { get; }

    /// <summary>The RSA-OAEP-SHA256 ciphertext of the share's serialised bytes.</summary>
    public ReadOnlySpan<byte> Ciphertext => _ciphertext;

    private static ReadOnlySpan<byte> Magic => "VLES"u8;

    /// <summary>Encrypts <paramref name="share"/> to <paramref name="key"/>.</summary>
    public static EncryptedRecoveryShare Encrypt(RecoveryShare share, MemberEncryptionKey key)
    {
        ArgumentNullException.ThrowIfNull(share);
        ArgumentNullException.ThrowIfNull(key);
        var plaintext = share.ToBytes();
        try
        {
            return new EncryptedRecoveryShare(share.X, share.DealId, key.KeyId, key.Encrypt(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Reads a share written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="RecoveryFormatException">The bytes are not a version 1 encrypted share.</exception>
    public static EncryptedRecoveryShare Parse(ReadOnlySpan<byte> bytes)
    {
        RecoveryFormat.RequireHeader(bytes, Magic, Version, "an encrypted recovery share");
        if (bytes.Length < HeaderBytes)
        {
            throw new RecoveryFormatException($"An encrypted recovery share has a {HeaderBytes}-byte header; these bytes are {bytes.Length} long.");
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
        if (length < MinCiphertextBytes || length > MaxCiphertextBytes)
        {
            throw new RecoveryFormatException($"An encrypted recovery share's ciphertext is {MinCiphertextBytes} to {MaxCiphertextBytes} bytes, not {length}.");
        }

        if (bytes.Length != HeaderBytes + length)
        {
            throw new RecoveryFormatException($"The encrypted recovery share says its ciphertext is {length} bytes, but {bytes.Length - HeaderBytes} follow the header.");
        }

        if (bytes[5] == 0)
        {
            throw new RecoveryFormatException("An encrypted recovery share's x is at least 1.");
        }

        return new EncryptedRecoveryShare(
            bytes[5],
            new DealId(bytes.Slice(8, DealId.Size)),
            new Sha256Hash(bytes.Slice(24, Sha256Hash.Size)),
            bytes[HeaderBytes..].ToArray());
    }

    /// <summary>The share in its version 1 layout.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderBytes + _ciphertext.Length];
        Magic.CopyTo(bytes);
        bytes[4] = Version;
        bytes[5] = X;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), checked((ushort)_ciphertext.Length));
        DealId.WriteTo(bytes.AsSpan(8, DealId.Size));
        KeyId.Bytes.CopyTo(bytes.AsSpan(24));
        _ciphertext.CopyTo(bytes, HeaderBytes);
        return bytes;
    }

    /// <summary>
    /// Decrypts the share with the member's private key and checks that what it holds is the
    /// share the public fields announce.
    /// </summary>
    /// <exception cref="RecoveryException">
    /// <see cref="RecoveryFailure.ShareDidNotDecrypt"/> when the key is not the share's or the
    /// ciphertext was altered; <see cref="RecoveryFailure.ShareFromAnotherDeal"/> when the
    /// decrypted share's x or deal differ from the public ones.
    /// </exception>
    public RecoveryShare Decrypt(MemberDecryptionKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.PublicKey.KeyId != KeyId)
        {
            throw new RecoveryException(
                RecoveryFailure.ShareDidNotDecrypt,
                $"The share is encrypted to key {KeyId}, not to this member's key {key.PublicKey.KeyId}.");
        }

        byte[] plaintext;
        try
        {
            plaintext = key.Decrypt(_ciphertext);
        }
        catch (CryptographicException e)
        {
            throw new RecoveryException(RecoveryFailure.ShareDidNotDecrypt, "The share's ciphertext does not decrypt under the member's key: it was altered.", e);
        }

        try
        {
            var share = RecoveryShare.Parse(plaintext);
            if (share.X != X || share.DealId != DealId)
            {
                throw new RecoveryException(
                    RecoveryFailure.ShareFromAnotherDeal,
                    $"The share announces x = {X} of deal {DealId} but holds x = {share.X} of deal {share.DealId}.");
            }

            return share;
        }
        catch (RecoveryFormatException e)
        {
            throw new RecoveryException(RecoveryFailure.ShareDidNotDecrypt, "The share decrypts to bytes that are not a recovery share.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
