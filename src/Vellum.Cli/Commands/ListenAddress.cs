using System.Globalization;
using System.Net;

namespace Vellum.Cli.Commands;

/// <summary>Parses <c>HOST:PORT</c>, <c>[IPv6]:PORT</c> or <c>localhost:PORT</c> into an endpoint to bind.</summary>
internal static class ListenAddress
{
    public static bool TryParse(string text, out IPEndPoint endpoint, out string? host, out string problem)
    {
        endpoint = null!;
        host = null;
        problem = string.Empty;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            problem = $"\"{text}\" is not HOST:PORT with a port from 0 to 65535.";
            return false;
        }

        var hostText = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(hostText, out var address))
        {
            endpoint = new IPEndPoint(address, port);
            return true;
        }

        if (hostText.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = new IPEndPoint(IPAddress.Loopback, port);
            host = "localhost";
            return true;
        }

        try
        {
            var resolved = Dns.GetHostAddresses(hostText);
            if (resolved.Length == 0)
            {
                problem = $"\"{hostText}\" resolves to no address.";
                return false;
            }

            endpoint = new IPEndPoint(resolved[0], port);
            host = hostText;
            return true;
        }
        catch (System.Net.Sockets.SocketException exception)
        {
            problem = $"\"{hostText}\" cannot be resolved: {exception.Message}";
            return false;
        }
    }
}
