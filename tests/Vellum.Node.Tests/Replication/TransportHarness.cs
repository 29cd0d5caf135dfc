using System.Net;
using System.Security.Cryptography.X509Certificates;
using Vellum.Consensus;
using Vellum.Consensus.Messages;
using Vellum.Node.Replication;

using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Replication;

/// <summary>
/// Transports on loopback for one test: a service with its nodes, a manual clock they share (so
/// reconnection waits only when a test advances it), a recording logger each, and disposal.
/// </summary>
internal sealed class TransportHarness : IAsyncDisposable
{
    /// <summary>How long a test waits for something that should happen at once before it fails.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The first reconnection delay: distinct from every other timer, so a test can wait for it.</summary>
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    /// <summary>The handshake timeout: long, and distinct from every other timer.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromHours(1);

    private readonly List<PeerTransport> _transports = [];
    private readonly Dictionary<PeerTransport, RecordingLogger> _loggers = [];

    public TestService Service { get; } = new();

    public ManualClock Clock { get; } = new(TestService.DuringValidity);

    public PeerTransport Start(TestPeer node, int port = 0, int maxQueuedMessages = 1024, X509Certificate2? trusting = null, IPAddress? address = null)
    {
        var logger = new RecordingLogger();
        var transport = PeerTransport.Start(
            new PeerTransportOptions
            {
                NodeCertificate = node.Certificate,
                ServiceCertificate = trusting ?? Service.Certificate,
                ListenEndpoint = new IPEndPoint(address ?? IPAddress.Loopback, port),
                MaxQueuedMessages = maxQueuedMessages,
                MinReconnectDelay = ReconnectDelay,
                MaxReconnectDelay = ReconnectDelay * 8,
                HandshakeTimeout = HandshakeTimeout,
                TimeProvider = Clock,
            },
            logger);
        _transports.Add(transport);
        _loggers[transport] = logger;
        return transport;
    }

    public RecordingLogger Log(PeerTransport transport) => _loggers[transport];

    /// <summary>Points each transport at all the others.</summary>
    public static void Connect(params PeerTransport[] transports)
    {
        foreach (var transport in transports)
        {
            transport.SetPeers(transports.Where(other => other != transport).ToDictionary(other => other.LocalId, Address));
        }
    }

    public static string Address(PeerTransport transport) => $"127.0.0.1:{transport.Endpoint.Port}";

    public static async Task<RaftMessage> ReceiveAsync(PeerTransport transport) =>
        await transport.Received.ReadAsync().AsTask().WaitAsync(Patience);

    public static async Task<List<RaftMessage>> ReceiveAsync(PeerTransport transport, int count)
    {
        var messages = new List<RaftMessage>();
        while (messages.Count < count)
        {
            messages.Add(await ReceiveAsync(transport));
        }

        return messages;
    }

    public static Task<LogEntry> WaitForLogAsync(RecordingLogger logger, int eventId, Func<LogEntry, bool>? match = null) =>
        logger.WaitForAsync(eventId, match).WaitAsync(Patience);

    public async Task StopAsync(PeerTransport transport)
    {
        _transports.Remove(transport);
        await transport.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync();
        }

        Service.Dispose();
    }
}
