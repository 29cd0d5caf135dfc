using System.Collections.Immutable;
using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vellum.Consensus;
using Vellum.Consensus.Messages;

namespace Vellum.Node.Replication;

/// <summary>
/// Carries Raft messages between the nodes of one service over mutually authenticated TLS 1.3.
/// Every node listens on its own endpoint and keeps one outbound connection per peer, on which
/// it sends only its own messages; each side presents its node certificate and accepts only a
/// certificate issued directly by the pinned service certificate, and an outbound connection
/// only to the node it meant to reach. After TLS the caller sends a hello naming itself and the
/// node it meant to reach, which must match its certificate and the receiver; the receiver
/// answers with its own hello, and only then does the caller start sending.
/// </summary>
/// <remarks>
/// <para>
/// Back-pressure: <see cref="Send"/> never blocks. Each peer has a queue of at most
/// <see cref="PeerTransportOptions.MaxQueuedMessages"/>; when it is full the oldest message is
/// dropped and counted in <see cref="MessagesDropped"/>. Raft tolerates the loss (it
/// retransmits on its own timers, and bounds what it has in flight), so a slow or absent peer
/// costs memory up to the bound and never stalls consensus. Each peer's writer gathers whatever
/// is queued, up to <see cref="PeerTransportOptions.MaxBatchBytes"/>, into one write and flush.
/// </para>
/// <para>
/// Received messages go into <see cref="Received"/>, a bounded channel, rather than to a
/// callback: consensus is a single-threaded state machine whose loop also handles ticks and
/// proposals, and a channel lets that loop take messages when it is ready without locks. When the
/// channel is full the connections stop reading, TCP's window closes, and the senders' queues
/// fill and drop, so a slow consumer pushes back all the way to the senders.
/// </para>
/// </remarks>
public sealed class PeerTransport : IAsyncDisposable, IPeerSender
{
    private readonly PeerTransportOptions _options;
    private readonly PeerTls _tls;
    private readonly TransportCounters _counters = new();
    private readonly ILogger _logger;
    private readonly Channel<RaftMessage> _received;
    private readonly PeerListener _listener;
    private readonly Lock _gate = new();
    private readonly List<Task> _retiring = [];
    private volatile ImmutableDictionary<NodeId, PeerLink> _links = ImmutableDictionary<NodeId, PeerLink>.Empty;
    private bool _disposed;

    private PeerTransport(PeerTransportOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        LocalId = NodeIds.FromCertificate(options.NodeCertificate);
        _tls = new PeerTls(options);
        _received = Channel.CreateBounded<RaftMessage>(new BoundedChannelOptions(options.MaxReceivedMessages) { FullMode = BoundedChannelFullMode.Wait });
        _listener = new PeerListener(LocalId, options, _tls, _counters, _received.Writer, logger);
    }

    /// <summary>This node's id, derived from its certificate.</summary>
    public NodeId LocalId { get; }

    /// <summary>The endpoint the transport listens on, with the real port when port 0 was asked for.</summary>
    public IPEndPoint Endpoint => _listener.Endpoint;

    /// <summary>Messages from peers, each checked to come from the authenticated sender and be addressed to this node. Completed on dispose.</summary>
    public ChannelReader<RaftMessage> Received => _received.Reader;

    /// <summary>Messages written to peers' connections.</summary>
    public long MessagesSent => _counters.MessagesSent;

    /// <summary>Writes (each one flush) that carried those messages.</summary>
    public long BatchesSent => _counters.BatchesSent;

    /// <summary>Messages not sent: pushed out of a full queue, for no known peer, lost in a failed write, or still queued when a peer was removed.</summary>
    public long MessagesDropped => _counters.MessagesDropped;

    /// <summary>Messages received and passed on in <see cref="Received"/>.</summary>
    public long MessagesReceived => _counters.MessagesReceived;

    /// <summary>Messages received and dropped because the sender named another node as sender or receiver.</summary>
    public long MessagesRejected => _counters.MessagesRejected;

    /// <summary>Outbound connections established, over the transport's life.</summary>
    public long ConnectionsOpened => _counters.ConnectionsOpened;

    /// <summary>Inbound connections accepted, over the transport's life.</summary>
    public long ConnectionsAccepted => _counters.ConnectionsAccepted;

    /// <summary>Inbound connections refused: a failed or timed-out handshake, a certificate not of this service, a wrong hello, or too many connections.</summary>
    public long ConnectionsRefused => _counters.ConnectionsRefused;

    /// <summary>Outbound connection attempts that failed: the peer unreachable or refusing us, or not the node expected, or not speaking TLS 1.3 and this protocol.</summary>
    public long ConnectAttemptsFailed => _counters.ConnectAttemptsFailed;

    /// <summary>Outbound connections open now.</summary>
    public long OutboundConnections => _counters.OutboundConnections;

    /// <summary>Inbound connections open now.</summary>
    public long InboundConnections => _counters.InboundConnections;

    /// <summary>Binds the listening socket and starts accepting peers; call <see cref="SetPeers"/> to start sending.</summary>
    /// <exception cref="ArgumentException">The options are invalid; see <see cref="PeerTransportOptions.Validate"/>.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The endpoint cannot be bound.</exception>
    public static PeerTransport Start(PeerTransportOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var transport = new PeerTransport(options, logger ?? NullLogger.Instance);
        transport._listener.Start();
        ReplicationLog.Listening(transport._logger, transport.LocalId, transport.Endpoint);
        return transport;
    }

    /// <summary>
    /// Queues <paramref name="message"/> for its receiver without waiting. A full queue drops its
    /// oldest message to make room; see the remarks on back-pressure.
    /// </summary>
    /// <returns>True if the message was queued; false, counted as dropped, if its receiver is not a peer or the transport is disposed.</returns>
    /// <exception cref="ArgumentException">The message is not from this node, cannot be encoded, or encodes to more than <see cref="PeerTransportOptions.MaxFrameBytes"/>.</exception>
    public bool Send(RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.From != LocalId)
        {
            throw new ArgumentException($"A message sent from node {LocalId} must name it as sender, not {message.From}.", nameof(message));
        }

        var length = RaftMessageCodec.GetFrameLength(message);
        if (length > _options.MaxFrameBytes)
        {
            throw new ArgumentException($"The message encodes to {length} bytes, more than the frame limit of {_options.MaxFrameBytes}; consensus must send fewer or smaller entries per message.", nameof(message));
        }

        if (_links.TryGetValue(message.To, out var link) && link.Enqueue(message))
        {
            return true;
        }

        _counters.Dropped();
        return false;
    }

    /// <summary>
    /// Makes <paramref name="peers"/> the nodes this one sends to, each at <c>host:port</c> (an
    /// IPv6 address in brackets): new peers are dialled, peers at a new address are redialled
    /// there at once, and peers left out are disconnected, their queued messages dropped. This
    /// node's own id is ignored, so the whole membership can be passed. Inbound connections are
    /// accepted from any node of the service, member or not, since a node learns of a membership
    /// change at its own pace.
    /// </summary>
    /// <exception cref="ArgumentException">An address is not <c>host:port</c>; nothing is changed then.</exception>
    /// <exception cref="ObjectDisposedException">The transport is disposed.</exception>
    public void SetPeers(IReadOnlyDictionary<NodeId, string> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var addresses = peers.Where(peer => peer.Key != LocalId).ToDictionary(peer => peer.Key, peer => PeerAddress.Parse(peer.Value));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _retiring.RemoveAll(task => task.IsCompletedSuccessfully);
            var links = _links.ToBuilder();
            foreach (var (peer, link) in _links)
            {
                if (!addresses.ContainsKey(peer))
                {
                    links.Remove(peer);
                    _retiring.Add(link.DisposeAsync().AsTask());
                    ReplicationLog.PeerRemoved(_logger, peer);
                }
            }

            foreach (var (peer, address) in addresses)
            {
                if (_links.TryGetValue(peer, out var link))
                {
                    if (link.Address != address)
                    {
                        link.Redirect(address);
                        ReplicationLog.PeerMoved(_logger, peer, address);
                    }

                    continue;
                }

                var added = new PeerLink(LocalId, peer, address, _options, _tls, _counters, _logger);
                links[peer] = added;
                added.Start();
                ReplicationLog.PeerAdded(_logger, peer, address);
            }

            _links = links.ToImmutable();
        }
    }

    /// <summary>Closes every connection, stops listening, and completes <see cref="Received"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        ImmutableDictionary<NodeId, PeerLink> links;
        Task[] retiring;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            links = _links;
            _links = ImmutableDictionary<NodeId, PeerLink>.Empty;
            retiring = [.. _retiring];
        }

        await _listener.DisposeAsync();
        foreach (var link in links.Values)
        {
            await link.DisposeAsync();
        }

        await Task.WhenAll(retiring);
        _received.Writer.TryComplete();
    }
}
