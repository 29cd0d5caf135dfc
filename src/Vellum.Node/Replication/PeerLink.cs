using System.Buffers;
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
/// The outbound side of one peer: a bounded queue of messages and one loop that connects to the
/// peer, writes the queue in batches, and reconnects with capped backoff whenever the
/// connection fails. The connection only carries our messages; the peer answers on its own.
/// </summary>
internal sealed class PeerLink : IAsyncDisposable
{
    private const int InitialBatchBytes = 64 * 1024;

    private readonly NodeId _local;
    private readonly NodeId _peer;
    private readonly PeerTransportOptions _options;
    private readonly PeerTls _tls;
    private readonly TransportCounters _counters;
    private readonly ILogger _logger;
    private readonly Channel<RaftMessage> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private PeerAddress _address;
    private CancellationTokenSource _redirect = new();
    private Task _run = Task.CompletedTask;

    public PeerLink(NodeId local, NodeId peer, PeerAddress address, PeerTransportOptions options, PeerTls tls, TransportCounters counters, ILogger logger)
    {
        _local = local;
        _peer = peer;
        _address = address;
        _options = options;
        _tls = tls;
        _counters = counters;
        _logger = logger;

        // Dropping the oldest keeps the freshest state: a newer message from consensus supersedes
        // an older one (a later heartbeat, a later vote), and whatever is lost is retransmitted.
        _queue = Channel.CreateBounded<RaftMessage>(
            new BoundedChannelOptions(options.MaxQueuedMessages) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => counters.Dropped());
    }

    /// <summary>Where the peer is dialled.</summary>
    public PeerAddress Address
    {
        get
        {
            lock (_gate)
            {
                return _address;
            }
        }
    }

    /// <summary>Starts the connection loop.</summary>
    public void Start() => _run = Task.Run(RunAsync);

    /// <summary>Queues a message without waiting; false once the link is closing.</summary>
    public bool Enqueue(RaftMessage message) => _queue.Writer.TryWrite(message);

    /// <summary>Dials the peer at a new address from now on, abandoning any connection or wait for the old one.</summary>
    public void Redirect(PeerAddress address)
    {
        CancellationTokenSource abandoned;
        lock (_gate)
        {
            if (address == _address)
            {
                return;
            }

            _address = address;
            abandoned = _redirect;
            _redirect = new CancellationTokenSource();
        }

        // Its callbacks run on the thread pool, not on the caller's thread.
        _ = abandoned.CancelAsync();
    }

    /// <summary>Stops the loop, closes the connection and counts what was still queued as dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _queue.Writer.TryComplete();
        await _run;
        var left = 0;
        while (_queue.Reader.TryRead(out _))
        {
            left++;
        }

        _counters.Dropped(left);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var backoff = new ReconnectBackoff(_options.MinReconnectDelay, _options.MaxReconnectDelay);
        var delay = TimeSpan.Zero;
        var failuresInARow = 0;
        while (!_stop.IsCancellationRequested)
        {
            PeerAddress address;
            CancellationToken redirected;
            lock (_gate)
            {
                (address, redirected) = (_address, _redirect.Token);
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, redirected);
            SslStream stream;
            try
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _options.TimeProvider, attempt.Token);
                }

                stream = await ConnectAsync(address, attempt.Token);
            }
            catch (Exception e) when (attempt.IsCancellationRequested && e is not InvariantViolationException)
            {
                // Stopping, or the peer moved: dial its new address at once.
                delay = TimeSpan.Zero;
                continue;
            }
            catch (Exception e) when (e is not InvariantViolationException)
            {
                _counters.ConnectFailed();
                delay = backoff.Next();
                var level = failuresInARow++ == 0 ? LogLevel.Warning : LogLevel.Debug;
                ReplicationLog.ConnectFailed(_logger, level, _peer, address, delay, new ReplicationLog.Reason(e));
                continue;
            }

            backoff.Reset();
            failuresInARow = 0;
            delay = await ServeAsync(stream, address, attempt.Token) ? backoff.Next() : TimeSpan.Zero;
        }
    }

    // Runs one established connection until it fails or the attempt is abandoned; true when it failed.
    private async Task<bool> ServeAsync(SslStream stream, PeerAddress address, CancellationToken cancellationToken)
    {
        _counters.OutboundOpened();
        ReplicationLog.Connected(_logger, _peer, address);
        try
        {
            await PumpAsync(stream, cancellationToken);
            return false;
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is not InvariantViolationException)
        {
            // Abandoned on purpose: a cancelled write may surface as an I/O error as well.
            return false;
        }
        catch (Exception e) when (e is not InvariantViolationException)
        {
            ReplicationLog.ConnectionLost(_logger, _peer, address, _options.MinReconnectDelay, new ReplicationLog.Reason(e));
            return true;
        }
        finally
        {
            _counters.OutboundClosed();
            await stream.DisposeAsync();
        }
    }

    private async Task<SslStream> ConnectAsync(PeerAddress address, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.HandshakeTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        // Whatever is not handed to the caller is disposed here: first the socket, then the stream that owns it.
        var socket = ConnectingSocket();
        SslStream? stream = null;
        try
        {
            await socket.ConnectAsync(address.Host, address.Port, linked.Token);
            stream = new SslStream(new NetworkStream(socket, ownsSocket: true));
            var options = _tls.ClientOptions(address.Host, _peer, out var check);
            try
            {
                await stream.AuthenticateAsClientAsync(options, linked.Token);
            }
            catch (AuthenticationException e) when (check.Refusal is { } refusal)
            {
                throw new AuthenticationException($"Refused the peer: {refusal}.", e);
            }

            PeerTls.RequireOurProtocol(stream);
            await ExchangeHellosAsync(stream, linked.Token);
            var connected = stream;
            stream = null;
            socket = null;
            return connected;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The connection was not set up within {_options.HandshakeTimeout}.");
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }

            socket?.Dispose();
        }
    }

    // Connections to peers leave from the address this node listens on for peers, when that is a
    // specific one: the peer network's interface on a host with several, and one loopback address
    // per node for a local cluster, so whatever stands between nodes can tell them apart.
    private Socket ConnectingSocket()
    {
        var listen = _options.ListenEndpoint.Address;
        if (listen.Equals(IPAddress.Any) || listen.Equals(IPAddress.IPv6Any))
        {
            return new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        }

        var socket = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(listen, 0));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // In TLS 1.3 the client finishes its handshake before the server has judged the client's
    // certificate, so only the server's hello in reply shows that it accepted us; until then
    // nothing leaves the queue, and nothing is lost to a connection about to be refused.
    private async Task ExchangeHellosAsync(SslStream stream, CancellationToken cancellationToken)
    {
        var hello = new ArrayBufferWriter<byte>(FrameLayout.MaxHelloBytes);
        RaftMessageCodec.EncodeHello(new PeerHello(_local, _peer), hello);
        await stream.WriteAsync(hello.WrittenMemory, cancellationToken);
        await stream.FlushAsync(cancellationToken);

        var reply = new byte[FrameLayout.MaxHelloBytes];
        await stream.ReadExactlyAsync(reply.AsMemory(0, RaftMessageCodec.LengthPrefixBytes), cancellationToken);
        var length = RaftMessageCodec.ReadFrameLength(reply, FrameLayout.MaxHelloBytes);
        await stream.ReadExactlyAsync(reply.AsMemory(RaftMessageCodec.LengthPrefixBytes, length - RaftMessageCodec.LengthPrefixBytes), cancellationToken);
        var answer = RaftMessageCodec.DecodeHello(reply.AsSpan(0, length), FrameLayout.MaxHelloBytes);
        if (answer.From != _peer || answer.To != _local)
        {
            throw new AuthenticationException($"The peer answered as node {answer.From} to node {answer.To}, not as node {_peer} to this node {_local}.");
        }
    }

    // The writer runs while a reader watches for the peer closing the connection, which a writer
    // with nothing to send would otherwise notice only at its next write.
    private async Task PumpAsync(SslStream stream, CancellationToken cancellationToken)
    {
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WatchAsync(stream, closed);
        try
        {
            await WriteBatchesAsync(stream, closed.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException("The peer closed the connection.", await watch);
        }
        finally
        {
            await closed.CancelAsync();
            await watch;
        }
    }

    private static async Task<Exception?> WatchAsync(SslStream stream, CancellationTokenSource closed)
    {
        Exception? reason;
        try
        {
            var read = await stream.ReadAsync(new byte[1], closed.Token);
            reason = read == 0 ? null : new InvalidDataException("The peer sent data on a connection that carries only our messages.");
        }
        catch (Exception e)
        {
            reason = e;
        }

        await closed.CancelAsync();
        return reason;
    }

    private async Task WriteBatchesAsync(SslStream stream, CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        var batch = new ArrayBufferWriter<byte>(InitialBatchBytes);
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            var count = 0;
            while (batch.WrittenCount < _options.MaxBatchBytes && reader.TryRead(out var message))
            {
                RaftMessageCodec.Encode(message, batch, _options.MaxFrameBytes);
                count++;
            }

            try
            {
                await stream.WriteAsync(batch.WrittenMemory, cancellationToken);
            }
            catch
            {
                _counters.Dropped(count);
                throw;
            }

            // Once written, the batch is the connection's: a failed flush loses the connection, and
            // Raft's retransmission covers whatever it took with it.
            _counters.BatchSent(count);
            await stream.FlushAsync(cancellationToken);

            // One huge frame should not pin its buffer for the life of the connection.
            if (batch.Capacity > 4 * Math.Max(_options.MaxBatchBytes, InitialBatchBytes))
            {
                batch = new ArrayBufferWriter<byte>(InitialBatchBytes);
            }
            else
            {
                batch.ResetWrittenCount();
            }
        }
    }
}
