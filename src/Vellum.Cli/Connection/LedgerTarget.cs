using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Vellum.Cli.Connection;

/// <summary>Reads a node's address as users type it: <c>HOST:PORT</c>, or <c>https://HOST[:PORT][/]</c>.</summary>
internal static class LedgerTarget
{
    /// <summary>Parses <paramref name="text"/> into the node's base address, <c>https://host:port/</c>.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out Uri? endpoint)
    {
        endpoint = null;
        if (text.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !IsBare(uri))
            {
                return false;
            }

            endpoint = new Uri($"https://{uri.Authority}/");
            return true;
        }

        // Without a scheme the port is required, as every other command's --target has it.
        var colon = text.LastIndexOf(':');
        return colon > 0
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and < 65536
            && Uri.TryCreate($"https://{text}/", UriKind.Absolute, out endpoint)
            && IsBare(endpoint);
    }

    // A base address only: a path, query or user name would be silently dropped or misread.
    private static bool IsBare(Uri uri) =>
        uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0;
}
