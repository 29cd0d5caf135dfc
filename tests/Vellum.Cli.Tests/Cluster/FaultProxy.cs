using System.Net;
using System.Net.Sockets;

namespace Vellum.Cli.Tests.Cluster;

/// <summary>
/// A TCP relay on loopback between nodes, able to cut the links between any two of them. Each
/// node advertises the relay's front for it as its peer address; the relay knows which node a
/// connection comes from by its source address, since every node connects from a loopback
/// address of its own. A cut link drops its open connections at once (with a reset) and resets
/// new ones until healed, as a failed network would after its timeouts.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly Dictionary<IPAddress, int> _nodesBySource = [];
    private readonly List<(TcpListener Listener, Task Accepting)> _fronts = [];
    private readonly List<Relay> _relays = [];
    private readonly HashSet<(int From, int To)> _cut = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Opens the front for node <paramref name="node"/>, whose connections leave from <paramref name="source"/> and whose peer endpoint is <paramref name="target"/>.</summary>
    public IPEndPoint AddNode(int node, IPAddress source, IPEndPoint target)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        lock (_gate)
        {
            _nodesBySource[source] = node;
            _fronts.Add((listener, AcceptAsync(listener, node, target)));
        }

        return (IPEndPoint)listener.LocalEndpoint;
    }

    /// <summary>Cuts every link between <paramref name="node"/> and the others, both ways.</summary>
    public void Isolate(int node)
    {
        List<Relay> dropped;
        lock (_gate)
        {
            foreach (var other in _nodesBySource.Values.Where(other => other != node))
            {
                _cut.Add((node, other));
                _cut.Add((other, node));
            }

            dropped = _relays.Where(relay => IsCut(relay.From, relay.To)).ToList();
        }

        foreach (var relay in dropped)
        {
            relay.Reset();
        }
    }

    /// <summary>Restores every link.</summary>
    public void HealAll()
    {
        lock (_gate)
        {
            _cut.Clear();
        }
    }

    private bool IsCut(int from, int to) => _cut.Contains((from, to));

    private async Task AcceptAsync(TcpListener listener, int to, IPEndPoint target)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket inbound;
            try
            {
                inbound = await listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(inbound, to, target);
        }
    }

    private async Task RelayAsync(Socket inbound, int to, IPEndPoint target)
    {
        var source = ((IPEndPoint)inbound.RemoteEndPoint!).Address.MapToIPv4();
        var outbound = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        int from;
        lock (_gate)
        {
            from = _nodesBySource.GetValueOrDefault(source, -1);
        }

        var relay = new Relay(inbound, outbound, from, to);
        try
        {
            await outbound.ConnectAsync(target, _stopping.Token);
            lock (_gate)
            {
                if (IsCut(relay.From, relay.To) || _stopping.IsCancellationRequested)
                {
                    relay.Reset();
                    return;
                }

                _relays.Add(relay);
            }

            await relay.RunAsync();
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            relay.Reset();
        }
        finally
        {
            lock (_gate)
            {
                _relays.Remove(relay);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Relay> open;
        lock (_gate)
        {
            _stopping.Cancel();
            open = [.. _relays];
        }

        foreach (var relay in open)
        {
            relay.Reset();
        }

        foreach (var (listener, accepting) in _fronts)
        {
            listener.Stop();
            await accepting;
        }

        _stopping.Dispose();
    }

    /// <summary>One relayed connection: bytes copied both ways until either side closes.</summary>
    private sealed class Relay(Socket inbound, Socket outbound, int from, int to)
    {
        public int From { get; } = from;

        public int To { get; } = to;

        public async Task RunAsync()
        {
            await Task.WhenAny(CopyAsync(inbound, outbound), CopyAsync(outbound, inbound));
            Reset();
        }

        /// <summary>Closes both sides with a reset, as a broken path eventually does.</summary>
        public void Reset()
        {
            foreach (var socket in new[] { inbound, outbound })
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
                {
                    // Already closed: nothing to reset.
                }

                socket.Dispose();
            }
        }

        private static async Task CopyAsync(Socket from, Socket to)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int read;
                while ((read = await from.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                }
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                // The other direction or a cut closed the connection.
            }
        }
    }
}
