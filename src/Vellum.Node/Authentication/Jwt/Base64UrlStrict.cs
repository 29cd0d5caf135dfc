using System.Buffers;
using System.Buffers.Text;

namespace Vellum.Node.Authentication.Jwt;

/// <summary>
/// Base64url decoding as JWS requires it (RFC 7515 §2): the URL-safe alphabet, no padding, no
/// white space, and unused trailing bits zero, so that every byte string has exactly one encoding.
/// </summary>
internal static class Base64UrlStrict
{
    /// <summary>Decodes <paramref name="text"/>, or returns null if it is not canonical base64url.</summary>
    public static byte[]? Decode(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return null;
            }
        }

        if (text.Length % 4 == 1)
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        // The OperationStatus overload reports bad input; TryDecodeFromChars throws for some of it.
        var status = Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written);
        if (status != OperationStatus.Done || consumed != text.Length)
        {
            return null;
        }

        bytes = written == bytes.Length ? bytes : bytes[..written];

        // The decoder ignores non-zero leftover bits; re-encoding catches them.
        return text.SequenceEqual(Base64Url.EncodeToString(bytes)) ? bytes : null;
    }
}
