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
        // The OperationStatus overload reports bad input; TryDecodeFromChars throws for some of it.
        var bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        var status = Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written);
        if (status != OperationStatus.Done || consumed != text.Length)
        {
            return null;
        }

        bytes = written == bytes.Length ? bytes : bytes[..written];

        // The decoder tolerates padding, white space and the '+' and '/' of plain base64; the one
        // canonical encoding of the decoded bytes is the only text accepted.
        return text.SequenceEqual(Base64Url.EncodeToString(bytes)) ? bytes : null;
    }
}
