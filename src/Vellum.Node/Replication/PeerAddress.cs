using System.Globalization;
using System.Net;

namespace Vellum.Node.Replication;

/// <summary>A peer's <c>host:port</c>; an IPv6 address is written in brackets, <c>[::1]:7000</c>.</summary>
/// <param name="Host">A DNS name or an IP address, without brackets.</param>
/// <param name="Port">The TCP port, 1 to 65535.</param>
internal readonly record struct PeerAddress(string Host, int Port)
{
    /// <summary>Parses <c>host:port</c>.</summary>
    /// <exception cref="ArgumentException">The text is not a host and a port from 1 to 65535.</exception>
    public static PeerAddress Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new ArgumentException($"The peer address \"{text}\" is not host:port with a port from 1 to 65535.", nameof(text));
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
            if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                throw new ArgumentException($"The peer address \"{text}\" has brackets around something other than an IPv6 address.", nameof(text));
            }
        }
        else if (host.Contains(':', StringComparison.Ordinal) || host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"The peer address \"{text}\" has no valid host; write an IPv6 address in brackets.", nameof(text));
        }

        return new PeerAddress(host, port);
    }

    /// <inheritdoc/>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
