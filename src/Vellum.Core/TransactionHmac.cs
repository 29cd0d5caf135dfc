using System.Security.Cryptography;
using System.Text;

namespace Vellum.Core;

/// <summary>
/// The per-transaction derivation shared by commit evidence and claim secrets:
/// <c>HMAC-SHA256(key, utf8("view.seqno"))</c>, computed without allocating.
/// </summary>
internal static class TransactionHmac
{
    public static byte[] DeriveKey(ReadOnlySpan<byte> serviceSecret, string label, string secretName)
    {
        if (serviceSecret.Length < CommitEvidenceDeriver.MinSecretBytes)
        {
            throw new ArgumentException(
                $"The service secret must be at least {CommitEvidenceDeriver.MinSecretBytes} bytes, not {serviceSecret.Length}.",
                secretName);
        }

        return HMACSHA256.HashData(serviceSecret, Encoding.UTF8.GetBytes(label));
    }

    public static void Compute(ReadOnlySpan<byte> key, TransactionId transactionId, Span<byte> destination)
    {
        Span<char> chars = stackalloc char[TransactionId.MaxChars];
        var formatted = transactionId.TryFormat(chars, out var charCount, default, null);
        Invariant.Check(formatted, "a transaction id fits its longest form");

        // Transaction ids are ASCII, so each character is one UTF-8 byte.
        Span<byte> message = stackalloc byte[charCount];
        var byteCount = Encoding.UTF8.GetBytes(chars[..charCount], message);
        Invariant.Check(byteCount == charCount, "a transaction id is ASCII");
        Sha256.Hmac(key, message, destination);
    }
}
