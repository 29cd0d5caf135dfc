using System.Net;
using System.Net.Sockets;
using Vellum.Consensus;
using Vellum.Consensus.Messages;
using Vellum.Node.Replication;

namespace Vellum.Node.Tests.Replication;

/// <summary>Bounded queues, batching, reconnection and address changes, driven by the manual clock.</summary>
public class PeerDeliveryTests
{
    [Fact]
    public async Task FullQueueDropsTheOldestMessagesInsteadOfBlockingAndTheRestGoInOneBatch()
    {
        await using var harness = new TransportHarness();
        using var nothingListens = ClosedPort(out var closedAddress);
        var a = harness.Start(harness.Service.Node("a"), maxQueuedMessages: 4);
        var b = harness.Start(harness.Service.Node("b"));
        a.SetPeers(new Dictionary<NodeId, string> { [b.LocalId] = closedAddress });

        // The first attempt is refused and the retry waits on the manual clock, so nothing leaves the queue.
        await harness.Clock.WhenTimerPendingAsync(TransportHarness.ReconnectDelay).WaitAsync(TransportHarness.Patience);
        var messages = Enumerable.Range(1, 10).Select(term => new VoteRequest(a.LocalId, b.LocalId, term, 0, 0)).ToList();
        var queued = messages.Select(a.Send).ToList();

        Assert.All(queued, Assert.True);
        Assert.Equal(6, a.MessagesDropped);

        // Moving the peer ends the wait at once; the four newest messages are waiting for it.
        a.SetPeers(new Dictionary<NodeId, string> { [b.LocalId] = TransportHarness.Address(b) });
        var received = await TransportHarness.ReceiveAsync(b, 4);

        Assert.Equal(messages.Skip(6), received);
        await harness.StopAsync(a);
        Assert.Equal(1, a.BatchesSent);
        Assert.Equal(4, a.MessagesSent);
        Assert.Equal(6, a.MessagesDropped);
    }

    [Fact]
    public async Task PeerThatRestartsIsReconnectedAfterTheBackoffAndMessagesFlowAgain()
    {
        await using var harness = new TransportHarness();
        var bNode = harness.Service.Node("b");
        var a = harness.Start(harness.Service.Node("a"));
        var b = harness.Start(bNode);
        var port = b.Endpoint.Port;
        a.SetPeers(new Dictionary<NodeId, string> { [b.LocalId] = TransportHarness.Address(b) });
        var before = new VoteRequest(a.LocalId, b.LocalId, 2, 0, 0);
        a.Send(before);
        Assert.Equal(before, await TransportHarness.ReceiveAsync(b));

        await harness.StopAsync(b);

        // a notices the connection close and waits to redial; only then is b back, on the same port.
        await harness.Clock.WhenTimerPendingAsync(TransportHarness.ReconnectDelay).WaitAsync(TransportHarness.Patience);
        var restarted = harness.Start(bNode, port: port);
        var after = new VoteRequest(a.LocalId, b.LocalId, 3, 0, 0);
        Assert.True(a.Send(after));
        harness.Clock.Advance(TransportHarness.ReconnectDelay);

        Assert.Equal(after, await TransportHarness.ReceiveAsync(restarted));
        Assert.Equal(2, a.ConnectionsOpened);
        Assert.Equal(1, restarted.ConnectionsAccepted);
        var lost = await TransportHarness.WaitForLogAsync(harness.Log(a), ReplicationLog.ConnectionLostId);
        Assert.Contains(b.LocalId.Value, lost.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedialsToAPeerThatIsDownBackOffExponentiallyUpToTheCap()
    {
        await using var harness = new TransportHarness();
        using var nothingListens = ClosedPort(out var closedAddress);
        var a = harness.Start(harness.Service.Node("a"));
        a.SetPeers(new Dictionary<NodeId, string> { [harness.Service.Node("b").Id] = closedAddress });

        // Each expected delay must be the one the transport waits on next; a wrong schedule never gets there.
        var delay = TransportHarness.ReconnectDelay;
        foreach (var factor in new[] { 1, 2, 4, 8, 8, 8 })
        {
            await harness.Clock.WhenTimerPendingAsync(delay * factor).WaitAsync(TransportHarness.Patience);
            harness.Clock.Advance(delay * factor);
        }

        Assert.Equal(0, a.ConnectionsOpened);
        var failures = harness.Log(a).Entries.Where(entry => entry.EventId == ReplicationLog.ConnectFailedId).ToList();
        Assert.True(failures.Count >= 6);

        // Only the first failure in a row is a warning; the rest would flood the log of a node whose peer is down.
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, failures[0].Level);
        Assert.All(failures.Skip(1), entry => Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, entry.Level));
    }

    [Fact]
    public async Task DisposingCompletesTheReceivedChannelAndRefusesNewPeers()
    {
        var harness = new TransportHarness();
        var a = harness.Start(harness.Service.Node("a"));
        var b = harness.Start(harness.Service.Node("b"));
        TransportHarness.Connect(a, b);
        a.Send(new VoteRequest(a.LocalId, b.LocalId, 2, 0, 0));
        await TransportHarness.ReceiveAsync(b);

        await harness.DisposeAsync();

        await b.Received.Completion.WaitAsync(TransportHarness.Patience);
        Assert.False(a.Send(new VoteRequest(a.LocalId, b.LocalId, 3, 0, 0)));
        Assert.Throws<ObjectDisposedException>(() => a.SetPeers(new Dictionary<NodeId, string>()));
        Assert.Equal(0, a.OutboundConnections);
        Assert.Equal(0, b.InboundConnections);
    }

    // A bound port with no listener: connections to it are refused at once.
    private static Socket ClosedPort(out string address)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        address = $"127.0.0.1:{((IPEndPoint)socket.LocalEndPoint!).Port}";
        return socket;
    }
}
