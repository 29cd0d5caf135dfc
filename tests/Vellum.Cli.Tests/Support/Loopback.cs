using System.Net;
using System.Net.Sockets;

namespace Vellum.Cli.Tests.Support;

/// <summary>What tests that run nodes on loopback share: free ports, and waiting for a condition.</summary>
internal static class Loopback
{
    /// <summary>A port free on <paramref name="address"/> (loopback when null) at the time of asking, outside the ephemeral range (<see cref="Vellum.Tests.Support.ReservedPorts"/>).</summary>
    public static int FreePort(IPAddress? address = null) => Vellum.Tests.Support.ReservedPorts.Next(address);

    /// <summary>Waits for <paramref name="condition"/>, checking it every few milliseconds, failing after a generous deadline.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");

            // A poll interval, not a stand-in for the condition: the loop ends when it holds.
            await Task.Delay(20);
        }
    }
}
