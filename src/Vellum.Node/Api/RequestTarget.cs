using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;

namespace Vellum.Node.Api;

/// <summary>
/// Checks the percent-encoding of a request's path and query as sent. Kestrel and the query
/// parser leave a sequence that does not decode to UTF-8 (<c>%FF</c>) as its literal text, and
/// Kestrel never decodes <c>%2F</c> in a path, so without this check <c>%FF</c> and <c>%25FF</c>
/// would name the same collection, and <c>a%2Fb</c> a user whose id holds no slash.
/// </summary>
internal static class RequestTarget
{
    /// <exception cref="ApiException">400 <c>BadRequest</c>: the target percent-encodes bytes that are not UTF-8, or a <c>/</c> in the path.</exception>
    public static void RequireWellEncoded(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is null || !raw.Contains('%', StringComparison.Ordinal))
        {
            return;
        }

        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? raw : raw[..queryStart];
        if (path.Contains("%2F", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.BadRequest(ErrorCodes.BadRequest, "The path holds an encoded \"/\" (%2F), which no id may contain.");
        }

        if (!DecodesToUtf8(raw))
        {
            throw ApiException.BadRequest(ErrorCodes.BadRequest, "The path or query percent-encodes bytes that are not UTF-8 text.");
        }
    }

    /// <summary>
    /// Whether the target, with every <c>%XX</c> turned into its byte, is valid UTF-8. The
    /// separators are ASCII, which no multi-byte sequence can contain, so checking the whole
    /// target checks each part.
    /// </summary>
    private static bool DecodesToUtf8(string raw)
    {
        var bytes = raw.Length <= 1024 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%' && i + 2 < raw.Length && Uri.IsHexDigit(raw[i + 1]) && Uri.IsHexDigit(raw[i + 2]))
            {
                bytes[length++] = (byte)((Uri.FromHex(raw[i + 1]) << 4) | Uri.FromHex(raw[i + 2]));
                i += 2;
            }
            else if (c > 0x7F)
            {
                return false;
            }
            else
            {
                bytes[length++] = (byte)c;
            }
        }

        return Utf8.IsValid(bytes[..length]);
    }
}
