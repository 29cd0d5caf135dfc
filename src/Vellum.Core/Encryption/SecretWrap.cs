using System.Security.Cryptography;
using System.Text;
using Vellum.Core.Recovery;

namespace Vellum.Core.Encryption;

/// <summary>
/// One 32-byte secret sealed with AES-256-GCM for a <see cref="LedgerSecretRecord"/>: a random
/// 96-bit nonce, the ciphertext and the 16-byte tag, 60 bytes in all. The additional data is
/// <c>"vellum:secrets/" ‖ version ‖ "/" ‖ field</c> (ASCII, the version in decimal), so a wrap
/// cannot be moved to another version or another field of a record.
/// </summary>
/// <remarks>
/// Random nonces are safe here because each key seals very few times: a node-distribution key
/// seals only its version's secret, and a ledger secret's wrap key seals its predecessor and the
/// service secret once each (a record written again after a rollback seals them again, a
/// handful of times at most), far below the 2^32 random nonces one key may take.
/// </remarks>
internal static class SecretWrap
{
    public const int NonceBytes = 12;
    public const int TagBytes = 16;
    public const int Size = NonceBytes + LedgerSecret.SecretBytes + TagBytes;

    /// <summary>Seals <paramref name="secret"/> (32 bytes) under <paramref name="key"/> for the field <paramref name="field"/> of version <paramref name="version"/>.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, int version, string field, ReadOnlySpan<byte> secret, RandomFill random)
    {
        Invariant.Check(secret.Length == LedgerSecret.SecretBytes, "a wrapped secret is 32 bytes");
        var wrapped = new byte[Size];
        random(wrapped.AsSpan(0, NonceBytes));
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(wrapped.AsSpan(0, NonceBytes), secret, wrapped.AsSpan(NonceBytes, LedgerSecret.SecretBytes), wrapped.AsSpan(NonceBytes + LedgerSecret.SecretBytes), AdditionalData(version, field));
        return wrapped;
    }

    /// <summary>Opens a wrap sealed by <see cref="Seal"/>; false when the tag does not verify (another key, version or field, or modified bytes).</summary>
    public static bool TryOpen(ReadOnlySpan<byte> key, int version, string field, ReadOnlySpan<byte> wrapped, out byte[] secret)
    {
        secret = [];
        if (wrapped.Length != Size)
        {
            return false;
        }

        var opened = new byte[LedgerSecret.SecretBytes];
        using var aes = new AesGcm(key, TagBytes);
        try
        {
            aes.Decrypt(wrapped[..NonceBytes], wrapped.Slice(NonceBytes, LedgerSecret.SecretBytes), wrapped[(NonceBytes + LedgerSecret.SecretBytes)..], opened, AdditionalData(version, field));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        secret = opened;
        return true;
    }

    private static byte[] AdditionalData(int version, string field) =>
        Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"vellum:secrets/{version}/{field}"));
}
