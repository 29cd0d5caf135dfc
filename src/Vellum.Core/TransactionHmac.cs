using System.Security.Cryptography;
using System.Text;

namespace Vellum.Core;

/// <summary>
/// The per-transaction derivation shared by commit evidence and claim secrets:
/// <c>HMAC-SHA256(key, utf8("view.seqno"))</c>, computed without allocating.
/// </summary>
internal static class TransactionHmac
{
    /// <summary><c>HMAC-SHA256(secret, utf8(label))</c>, prepared as the key of the per-transaction HMACs.</summary>
    public static HmacKey DeriveKey(ReadOnlySpan<byte> secret, string label, string secretName)
    {
        if (secret.Length < CommitEvidenceDeriver.MinSecretBytes)
        {
            throw new ArgumentException(
                $"The secret must be at least {CommitEvidenceDeriver.MinSecretBytes} bytes, not {secret.Length}.",
                secretName);
        }

        Span<byte> key = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(label), key);
        var prepared = new HmacKey(key);
        CryptographicOperations.ZeroMemory(key);
        return prepared;
    }

    /// <summary>Writes <c>HMAC-SHA256(key, utf8("view.seqno"))</c> of <paramref name="transactionId"/> to <paramref name="destination"/> (32 bytes).</summary>
    public static void Compute(HmacKey key, TransactionId transactionId, Span<byte> destination)
    {
        Span<char> chars = stackalloc char[TransactionId.MaxChars];
        var formatted = transactionId.TryFormat(chars, out var charCount, default, null);
        Invariant.Check(formatted, "a transaction id fits its longest form");

        // Transaction ids are ASCII, so each character is one UTF-8 byte.
        Span<byte> message = stackalloc byte[charCount];
        var byteCount = Encoding.UTF8.GetBytes(chars[..charCount], message);
        Invariant.Check(byteCount == charCount, "a transaction id is ASCII");
        key.Compute(message, destination);
    }
}
