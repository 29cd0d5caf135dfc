using System.Net;
using Microsoft.Extensions.Logging;
using Vellum.Consensus;

namespace Vellum.Node.Replication;

/// <summary>The transport's log messages; their event ids are stable so operators and tests can match on them.</summary>
internal static partial class ReplicationLog
{
    public const int ListeningId = 4100;
    public const int ConnectedId = 4101;
    public const int ConnectFailedId = 4102;
    public const int ConnectionLostId = 4103;
    public const int AcceptedId = 4104;
    public const int RefusedId = 4105;
    public const int InboundClosedId = 4106;
    public const int MessageRejectedId = 4107;
    public const int PeerChangedId = 4108;

    [LoggerMessage(EventId = ListeningId, Level = LogLevel.Information, Message = "Node {Node} listening for peers on {Endpoint}.")]
    public static partial void Listening(ILogger logger, NodeId node, IPEndPoint endpoint);

    [LoggerMessage(EventId = ConnectedId, Level = LogLevel.Information, Message = "Connected to peer {Peer} at {Address}.")]
    public static partial void Connected(ILogger logger, NodeId peer, PeerAddress address);

    [LoggerMessage(EventId = ConnectFailedId, Message = "Could not connect to peer {Peer} at {Address}; retrying in {Delay}: {Reason}")]
    public static partial void ConnectFailed(ILogger logger, LogLevel level, NodeId peer, PeerAddress address, TimeSpan delay, Reason reason);

    [LoggerMessage(EventId = ConnectionLostId, Level = LogLevel.Warning, Message = "Lost the connection to peer {Peer} at {Address}; reconnecting in {Delay}: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, NodeId peer, PeerAddress address, TimeSpan delay, Reason reason);

    [LoggerMessage(EventId = AcceptedId, Level = LogLevel.Information, Message = "Accepted a connection from peer {Peer} at {Remote}.")]
    public static partial void Accepted(ILogger logger, NodeId peer, string remote);

    [LoggerMessage(EventId = RefusedId, Level = LogLevel.Warning, Message = "Refused a connection from {Remote}: {Reason}")]
    public static partial void Refused(ILogger logger, string remote, Reason reason);

    [LoggerMessage(EventId = RefusedId, Level = LogLevel.Warning, Message = "Refused a connection from {Remote}: already {Limit} inbound connections.")]
    public static partial void TooManyConnections(ILogger logger, string remote, int limit);

    [LoggerMessage(EventId = InboundClosedId, Level = LogLevel.Information, Message = "Peer {Peer} at {Remote} closed its connection.")]
    public static partial void InboundEnded(ILogger logger, NodeId peer, string remote);

    [LoggerMessage(EventId = InboundClosedId, Level = LogLevel.Information, Message = "The connection from peer {Peer} at {Remote} closed: {Reason}")]
    public static partial void InboundClosed(ILogger logger, NodeId peer, string remote, Reason reason);

    [LoggerMessage(EventId = MessageRejectedId, Level = LogLevel.Warning, Message = "Dropped a {Type} from {From} to {To} that arrived on the connection from peer {Peer}: it may only send its own messages to this node.")]
    public static partial void MessageRejected(ILogger logger, string type, NodeId from, NodeId to, NodeId peer);

    [LoggerMessage(EventId = PeerChangedId, Level = LogLevel.Information, Message = "Added peer {Peer} at {Address}.")]
    public static partial void PeerAdded(ILogger logger, NodeId peer, PeerAddress address);

    [LoggerMessage(EventId = PeerChangedId, Level = LogLevel.Information, Message = "Peer {Peer} moved to {Address}.")]
    public static partial void PeerMoved(ILogger logger, NodeId peer, PeerAddress address);

    [LoggerMessage(EventId = PeerChangedId, Level = LogLevel.Information, Message = "Removed peer {Peer}.")]
    public static partial void PeerRemoved(ILogger logger, NodeId peer);

    /// <summary>
    /// Why a connection failed, as one line: the messages down the chain of causes. It is
    /// formatted only when the message is logged; the stack trace of an expected network failure
    /// would only bury the reason.
    /// </summary>
    public readonly record struct Reason(Exception Exception)
    {
        /// <inheritdoc/>
        public override string ToString()
        {
            var parts = new List<string>();
            for (var e = Exception; e is not null; e = e.InnerException)
            {
                parts.Add(e.Message);
            }

            return string.Join(" <- ", parts.Distinct());
        }
    }
}
