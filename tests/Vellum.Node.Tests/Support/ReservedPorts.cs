using System.Net;
using System.Net.Sockets;

namespace Vellum.Tests.Support;

/// <summary>
/// Ports for nodes that must name their addresses before they listen (a joining node's addresses
/// are recorded by the cluster). They are taken from below Linux's ephemeral range (32768–60999),
/// which the kernel never hands to an outgoing connection or to a bind to port 0: a port asked of
/// the kernel with port 0 and released could be taken again by any connection before the node
/// binds it, which made tests fail with "address already in use". Each test process starts at a
/// random point of the range and moves on, and each port is checked free by binding it, so only
/// another test process taking the same port in the same instant could collide.
/// </summary>
internal static class ReservedPorts
{
    private const int First = 20000;
    private const int Count = 12000;
    private static int _next = Random.Shared.Next(Count);

    /// <summary>A port free on <paramref name="address"/> (loopback when null) now, outside the ephemeral range.</summary>
    /// <exception cref="InvalidOperationException">Every port of the range is taken.</exception>
    public static int Next(IPAddress? address = null)
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            try
            {
                using var listener = new TcpListener(address ?? IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try the next one.
            }
        }

        throw new InvalidOperationException($"No port from {First} to {First + Count - 1} is free.");
    }
}
