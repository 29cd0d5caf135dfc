using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Vellum.Consensus;

namespace Vellum.Node.Replication;

/// <summary>
/// Connects a replica to the other nodes: the peer transport, a pump that hands each received
/// message to consensus, and the peer list kept in step with the membership in the log (and, on
/// the primary, with the departing nodes it still tells of their removal).
/// </summary>
internal sealed partial class PeerNetwork : IAsyncDisposable
{
    private readonly PeerTransport _transport;
    private readonly Replica _replica;
    private readonly ILogger _logger;
    private readonly Task _pump;

    private PeerNetwork(PeerTransport transport, Replica replica, ILogger logger)
    {
        _transport = transport;
        _replica = replica;
        _logger = logger;
        replica.PeersChanged += SetPeers;
        SetPeers(replica.Peers);

        _pump = Task.Run(PumpAsync);
    }

    public IPEndPoint Endpoint => _transport.Endpoint;

    public IPeerSender Sender => _transport;

    public static PeerNetwork Start(Replica replica, X509Certificate2 nodeCertificateWithKey, X509Certificate2 serviceCertificate, IPEndPoint listen, int maxEntryBytes, TimeProvider time, ILogger logger)
    {
        var transport = PeerTransport.Start(
            new PeerTransportOptions
            {
                NodeCertificate = nodeCertificateWithKey,
                ServiceCertificate = serviceCertificate,
                ListenEndpoint = listen,

                // A batch may hold one entry as large as the largest request, with room for framing.
                MaxFrameBytes = Math.Max(RaftMessageCodec.DefaultMaxFrameBytes, (2 * maxEntryBytes) + (64 * 1024)),
                TimeProvider = time,
            },
            logger);
        return new PeerNetwork(transport, replica, logger);
    }

    private void SetPeers(IReadOnlyList<ClusterMember> peers) =>
        _transport.SetPeers(peers.Where(member => member.Id != _replica.Id).ToDictionary(member => member.Id, member => member.PeerAddress));

    private async Task PumpAsync()
    {
        await foreach (var message in _transport.Received.ReadAllAsync())
        {
            try
            {
                _replica.Receive(message);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidDataException or Core.Entries.EntryFormatException)
            {
                // The log refused what a peer sent (an entry that does not verify, say): drop the
                // message; consensus asks again or elects a leader whose log is sound.
                LogRefused(_logger, message.From.Value, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A message from node {NodeId} was refused.")]
    private static partial void LogRefused(ILogger logger, string nodeId, Exception exception);

    public async ValueTask DisposeAsync()
    {
        _replica.PeersChanged -= SetPeers;
        await _transport.DisposeAsync();
        await _pump;
    }
}
