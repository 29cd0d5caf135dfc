using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Vellum.Core.Recovery;

/// <summary>
/// A ledger secret encrypted with AES-256-GCM under a deal's wrapping key, as the ledger stores it
/// in public. The header (threshold, share count, deal id, nonce, length) is the GCM associated
/// data, so none of it can be changed without the tag failing. The layout is in
/// docs/storage-format.md, "Recovery shares".
/// </summary>
public sealed class EncryptedLedgerSecret
{
    /// <summary>The format version written and read.</summary>
    public const byte Version = 1;

    /// <summary>The length of the ledger secret this version carries: an AES-256 key.</summary>
    public const int LedgerSecretBytes = 32;

    /// <summary>The length of everything before the ciphertext, all of it authenticated.</summary>
    public const int HeaderBytes = 38;

    /// <summary>The length of the AES-GCM nonce.</summary>
    public const int NonceBytes = 12;

    /// <summary>The length of the AES-GCM tag.</summary>
    public const int TagBytes = 16;

    /// <summary>The length of the whole serialised secret.</summary>
    public const int Size = HeaderBytes + LedgerSecretBytes + TagBytes;

    // Everything is kept in its serialised form: the header is the associated data, and keeping
    // one copy means what is authenticated is exactly what is written.
    private readonly byte[] _bytes;

    private EncryptedLedgerSecret(byte[] bytes)
    {
        _bytes = bytes;
    }

    /// <summary>How many shares of the deal recover the secret.</summary>
    public byte Threshold => _bytes[5];

    /// <summary>How many shares the deal made.</summary>
    public byte ShareCount => _bytes[6];

    /// <summary>The deal whose wrapping key encrypts the secret.</summary>
    public DealId DealId => new(_bytes.AsSpan(8, DealId.Size));

    private static ReadOnlySpan<byte> Magic => "VLWS"u8;

    /// <summary>
    /// Whether <paramref name="share"/> can be one of this deal's shares: the same deal id and
    /// threshold, and an x within the share count. The check <see cref="RecoveryDeal.Recover"/>
    /// makes of every share, for callers that take shares one at a time.
    /// </summary>
    public bool Admits(RecoveryShare share)
    {
        ArgumentNullException.ThrowIfNull(share);
        return share.DealId == DealId && share.Threshold == Threshold && share.X <= ShareCount;
    }

    /// <summary>Reads a secret written by <see cref="ToBytes"/>; the ciphertext is checked only when it is decrypted.</summary>
    /// <exception cref="RecoveryFormatException">The bytes are not a version 1 encrypted ledger secret.</exception>
    public static EncryptedLedgerSecret Parse(ReadOnlySpan<byte> bytes)
    {
        RecoveryFormat.RequireHeader(bytes, Magic, Version, "an encrypted ledger secret");
        if (bytes.Length != Size)
        {
            throw new RecoveryFormatException($"An encrypted ledger secret is {Size} bytes, not {bytes.Length}.");
        }

        if (bytes[7] != 0)
        {
            throw new RecoveryFormatException("An encrypted ledger secret's reserved byte 7 is not zero.");
        }

        if (bytes[5] == 0 || bytes[6] < bytes[5])
        {
            throw new RecoveryFormatException($"An encrypted ledger secret's threshold ({bytes[5]}) is from 1 to its share count ({bytes[6]}).");
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes[36..]);
        if (length != LedgerSecretBytes)
        {
            throw new RecoveryFormatException($"An encrypted ledger secret's ciphertext is {LedgerSecretBytes} bytes, not {length}.");
        }

        return new EncryptedLedgerSecret(bytes.ToArray());
    }

    /// <summary>The secret in its version 1 layout, <see cref="Size"/> bytes.</summary>
    public byte[] ToBytes() => (byte[])_bytes.Clone();

    /// <summary>Encrypts <paramref name="ledgerSecret"/> under <paramref name="wrappingKey"/>, drawing the nonce from <paramref name="fill"/>.</summary>
    internal static EncryptedLedgerSecret Seal(
        ReadOnlySpan<byte> ledgerSecret, ReadOnlySpan<byte> wrappingKey, DealId dealId, byte threshold, byte shareCount, RandomFill fill)
    {
        Invariant.Check(ledgerSecret.Length == LedgerSecretBytes, "the deal checked the secret's length");
        var bytes = new byte[Size];
        Magic.CopyTo(bytes);
        bytes[4] = Version;
        bytes[5] = threshold;
        bytes[6] = shareCount;
        dealId.WriteTo(bytes.AsSpan(8, DealId.Size));
        fill(bytes.AsSpan(24, NonceBytes));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(36), LedgerSecretBytes);

        using var aes = new AesGcm(wrappingKey, TagBytes);
        var header = bytes.AsSpan(0, HeaderBytes);
        aes.Encrypt(
            bytes.AsSpan(24, NonceBytes),
            ledgerSecret,
            bytes.AsSpan(HeaderBytes, LedgerSecretBytes),
            bytes.AsSpan(HeaderBytes + LedgerSecretBytes, TagBytes),
            header);
        return new EncryptedLedgerSecret(bytes);
    }

    /// <summary>Decrypts the secret under <paramref name="wrappingKey"/>.</summary>
    /// <exception cref="AuthenticationTagMismatchException">The key is wrong or the bytes were altered.</exception>
    internal byte[] Open(ReadOnlySpan<byte> wrappingKey)
    {
        var ledgerSecret = new byte[LedgerSecretBytes];
        using var aes = new AesGcm(wrappingKey, TagBytes);
        aes.Decrypt(
            _bytes.AsSpan(24, NonceBytes),
            _bytes.AsSpan(HeaderBytes, LedgerSecretBytes),
            _bytes.AsSpan(HeaderBytes + LedgerSecretBytes, TagBytes),
            ledgerSecret,
            _bytes.AsSpan(0, HeaderBytes));
        return ledgerSecret;
    }
}
