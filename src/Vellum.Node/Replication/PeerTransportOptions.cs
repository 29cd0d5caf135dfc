using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Vellum.Node.Replication;

/// <summary>How a <see cref="PeerTransport"/> listens, authenticates and bounds its queues.</summary>
public sealed class PeerTransportOptions
{
    /// <summary>This node's certificate, issued by the service identity, with its private key. The transport does not own it.</summary>
    public required X509Certificate2 NodeCertificate { get; init; }

    /// <summary>The service certificate: the only trust anchor for peers' certificates. The transport does not own it.</summary>
    public required X509Certificate2 ServiceCertificate { get; init; }

    /// <summary>Where to listen for peers; port 0 picks a free port, which <see cref="PeerTransport.Endpoint"/> then reports.</summary>
    public required IPEndPoint ListenEndpoint { get; init; }

    /// <summary>The largest frame sent or accepted, length prefix included; it must exceed the largest append message consensus builds.</summary>
    public int MaxFrameBytes { get; init; } = RaftMessageCodec.DefaultMaxFrameBytes;

    /// <summary>The most messages waiting for one peer; beyond it the oldest is dropped.</summary>
    public int MaxQueuedMessages { get; init; } = 1024;

    /// <summary>The bytes of frames gathered into one write before it is flushed; a single larger frame goes alone.</summary>
    public int MaxBatchBytes { get; init; } = 1024 * 1024;

    /// <summary>The most received messages waiting for the consumer; when full, reading from peers pauses.</summary>
    public int MaxReceivedMessages { get; init; } = 4096;

    /// <summary>The most inbound connections open or in their handshake at once; more are closed at once.</summary>
    public int MaxInboundConnections { get; init; } = 64;

    /// <summary>The wait before the first reconnection to a peer; each failure in a row doubles it.</summary>
    public TimeSpan MinReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a connection may take from TCP connect to the hello, in either direction.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for reconnection delays, handshake timeouts and certificate validity.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A certificate is missing, the node certificate has no private key, or a bound is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(NodeCertificate);
        ArgumentNullException.ThrowIfNull(ServiceCertificate);
        ArgumentNullException.ThrowIfNull(ListenEndpoint);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (!NodeCertificate.HasPrivateKey)
        {
            throw new ArgumentException("The node certificate must carry its private key to authenticate to peers.", nameof(NodeCertificate));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFrameBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueuedMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReceivedMessages, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInboundConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinReconnectDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxReconnectDelay, MinReconnectDelay);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HandshakeTimeout, TimeSpan.Zero);
    }
}
