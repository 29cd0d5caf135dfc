using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vellum.Consensus;
using Vellum.Consensus.Messages;
using Vellum.Core;

namespace Vellum.Node.Replication;

/// <summary>
/// The inbound side: accepts connections from nodes of the service, learns each caller's id from
/// its certificate and hello, and passes on the messages it sends, but only those from itself to
/// this node. Inbound connections only carry the caller's messages; answers go out on our own.
/// </summary>
internal sealed class PeerListener : IAsyncDisposable
{
    private readonly NodeId _local;
    private readonly PeerTransportOptions _options;
    private readonly PeerTls _tls;
    private readonly TransportCounters _counters;
    private readonly ChannelWriter<RaftMessage> _received;
    private readonly ILogger _logger;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _connections = [];
    private Task _accepting = Task.CompletedTask;
    private int _open;

    public PeerListener(NodeId local, PeerTransportOptions options, PeerTls tls, TransportCounters counters, ChannelWriter<RaftMessage> received, ILogger logger)
    {
        _local = local;
        _options = options;
        _tls = tls;
        _counters = counters;
        _received = received;
        _logger = logger;
        _socket = new Socket(options.ListenEndpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A restarted node must get its port back while connections of its previous run linger
            // in TIME_WAIT. (On Windows the option would instead let another process share the port.)
            if (!OperatingSystem.IsWindows())
            {
                _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            }

            if (options.ListenEndpoint.AddressFamily == AddressFamily.InterNetworkV6 && options.ListenEndpoint.Address.Equals(IPAddress.IPv6Any))
            {
                _socket.DualMode = true;
            }

            _socket.Bind(options.ListenEndpoint);
            _socket.Listen(options.MaxInboundConnections);
            Endpoint = (IPEndPoint)_socket.LocalEndPoint!;
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>The bound endpoint, with the real port when port 0 was asked for.</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Starts accepting connections.</summary>
    public void Start() => _accepting = Task.Run(AcceptAsync);

    /// <summary>Stops accepting, closes every inbound connection and waits for their loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _accepting;
        Task[] connections;
        lock (_gate)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _socket.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (_stop.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection reset before it was accepted; the listener itself is fine.
                ReplicationLog.Refused(_logger, "an unknown address", new ReplicationLog.Reason(e));
                continue;
            }

            if (Interlocked.Increment(ref _open) > _options.MaxInboundConnections)
            {
                Interlocked.Decrement(ref _open);
                _counters.Refused();
                ReplicationLog.TooManyConnections(_logger, Describe(socket), _options.MaxInboundConnections);
                socket.Dispose();
                continue;
            }

            Track(ServeAsync(socket));
        }
    }

    private void Track(Task connection)
    {
        lock (_gate)
        {
            _connections.Add(connection);
        }

        _ = connection.ContinueWith(
            finished =>
            {
                lock (_gate)
                {
                    _connections.Remove(finished);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task ServeAsync(Socket socket)
    {
        var remote = Describe(socket);
        socket.NoDelay = true;
        var stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
        var pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var frames = new FrameStreamReader(pipe);
        try
        {
            NodeId peer;
            try
            {
                peer = await HandshakeAsync(stream, frames);
            }
            catch (Exception e) when (e is not InvariantViolationException)
            {
                if (!_stop.IsCancellationRequested)
                {
                    _counters.Refused();
                    ReplicationLog.Refused(_logger, remote, new ReplicationLog.Reason(e));
                }

                return;
            }

            _counters.InboundAccepted();
            ReplicationLog.Accepted(_logger, peer, remote);
            try
            {
                await ReceiveAsync(frames, peer);
                ReplicationLog.InboundEnded(_logger, peer, remote);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // The transport is stopping.
            }
            catch (Exception e) when (e is not InvariantViolationException)
            {
                ReplicationLog.InboundClosed(_logger, peer, remote, new ReplicationLog.Reason(e));
            }
            finally
            {
                _counters.InboundClosed();
            }
        }
        finally
        {
            await pipe.CompleteAsync();
            await stream.DisposeAsync();
            Interlocked.Decrement(ref _open);
        }
    }

    // TLS with a node certificate of this service, then a hello naming the same node and this one.
    private async Task<NodeId> HandshakeAsync(SslStream stream, FrameStreamReader frames)
    {
        using var timeout = new CancellationTokenSource(_options.HandshakeTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timeout.Token);
        try
        {
            var options = _tls.ServerOptions(out var check);
            try
            {
                await stream.AuthenticateAsServerAsync(options, linked.Token);
            }
            catch (AuthenticationException e) when (check.Refusal is { } refusal)
            {
                throw new AuthenticationException($"Refused the peer: {refusal}.", e);
            }

            PeerTls.RequireOurProtocol(stream);
            var peer = check.Peer ?? throw new AuthenticationException("The handshake ended without checking the peer's certificate.");
            var frame = await frames.ReadAsync(FrameLayout.MaxHelloBytes, linked.Token) ?? throw new IOException("The peer closed the connection before its hello.");
            var hello = RaftMessageCodec.DecodeHello(frame, FrameLayout.MaxHelloBytes);
            if (hello.From != peer)
            {
                throw new AuthenticationException($"The peer's certificate belongs to node {peer}, but its hello claims to be node {hello.From}.");
            }

            if (hello.To != _local)
            {
                throw new AuthenticationException($"Node {peer} meant to reach node {hello.To}, not this node {_local}; its address for that node is out of date.");
            }

            // The reply tells the caller it was accepted; see PeerLink.ExchangeHellosAsync.
            var reply = new ArrayBufferWriter<byte>(FrameLayout.MaxHelloBytes);
            RaftMessageCodec.EncodeHello(new PeerHello(_local, peer), reply);
            await stream.WriteAsync(reply.WrittenMemory, linked.Token);
            await stream.FlushAsync(linked.Token);
            return peer;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_stop.IsCancellationRequested)
        {
            throw new TimeoutException($"The connection was not set up within {_options.HandshakeTimeout}.");
        }
    }

    private async Task ReceiveAsync(FrameStreamReader frames, NodeId peer)
    {
        while (await frames.ReadAsync(_options.MaxFrameBytes, _stop.Token) is { } frame)
        {
            var message = RaftMessageCodec.Decode(frame, _options.MaxFrameBytes);

            // TLS proved who is on the other end; a message it sends in another node's name, or
            // for another node, is dropped rather than trusted.
            if (message.From != peer || message.To != _local)
            {
                _counters.Rejected();
                ReplicationLog.MessageRejected(_logger, message.GetType().Name, message.From, message.To, peer);
                continue;
            }

            _counters.Received();
            await _received.WriteAsync(message, _stop.Token);
        }
    }

    private static string Describe(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "an unknown address";
        }
        catch (SocketException)
        {
            return "an unknown address";
        }
    }
}
