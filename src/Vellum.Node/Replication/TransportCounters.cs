namespace Vellum.Node.Replication;

/// <summary>The transport's counters, shared by its peer links and its listener; updated with interlocked operations.</summary>
internal sealed class TransportCounters
{
    private long _messagesSent;
    private long _batchesSent;
    private long _messagesDropped;
    private long _messagesReceived;
    private long _messagesRejected;
    private long _connectionsOpened;
    private long _connectionsAccepted;
    private long _connectionsRefused;
    private long _connectAttemptsFailed;
    private long _outboundConnections;
    private long _inboundConnections;

    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    public long BatchesSent => Interlocked.Read(ref _batchesSent);

    public long MessagesDropped => Interlocked.Read(ref _messagesDropped);

    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    public long MessagesRejected => Interlocked.Read(ref _messagesRejected);

    public long ConnectionsOpened => Interlocked.Read(ref _connectionsOpened);

    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    public long ConnectionsRefused => Interlocked.Read(ref _connectionsRefused);

    public long ConnectAttemptsFailed => Interlocked.Read(ref _connectAttemptsFailed);

    public long OutboundConnections => Interlocked.Read(ref _outboundConnections);

    public long InboundConnections => Interlocked.Read(ref _inboundConnections);

    public void BatchSent(int messages)
    {
        Interlocked.Add(ref _messagesSent, messages);
        Interlocked.Increment(ref _batchesSent);
    }

    public void Dropped(int messages = 1) => Interlocked.Add(ref _messagesDropped, messages);

    public void Received() => Interlocked.Increment(ref _messagesReceived);

    public void Rejected() => Interlocked.Increment(ref _messagesRejected);

    public void Refused() => Interlocked.Increment(ref _connectionsRefused);

    public void ConnectFailed() => Interlocked.Increment(ref _connectAttemptsFailed);

    public void OutboundOpened()
    {
        Interlocked.Increment(ref _connectionsOpened);
        Interlocked.Increment(ref _outboundConnections);
    }

    public void OutboundClosed() => Interlocked.Decrement(ref _outboundConnections);

    public void InboundAccepted()
    {
        Interlocked.Increment(ref _connectionsAccepted);
        Interlocked.Increment(ref _inboundConnections);
    }

    public void InboundClosed() => Interlocked.Decrement(ref _inboundConnections);
}
