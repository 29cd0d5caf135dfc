using System.Security.Cryptography;
using Vellum.Consensus;
using Vellum.Consensus.Messages;
using Vellum.Node.Replication;

namespace Vellum.Node.Tests.Replication;

/// <summary>Transports over real TLS on loopback deliver every message type, intact and in order.</summary>
public class PeerTransportExchangeTests
{
    [Fact]
    public async Task TwoTransportsExchangeEveryMessageType()
    {
        await using var harness = new TransportHarness();
        var a = harness.Start(harness.Service.Node("a"));
        var b = harness.Start(harness.Service.Node("b"));
        TransportHarness.Connect(a, b);
        var toB = TestMessages.EveryType(a.LocalId, b.LocalId);
        var toA = TestMessages.EveryType(b.LocalId, a.LocalId, term: 9);

        Assert.All(toB, message => Assert.True(a.Send(message)));
        Assert.All(toA, message => Assert.True(b.Send(message)));

        TestMessages.AssertSameSequence(toB, await TransportHarness.ReceiveAsync(b, toB.Count));
        TestMessages.AssertSameSequence(toA, await TransportHarness.ReceiveAsync(a, toA.Count));
        Assert.Equal(toB.Count, b.MessagesReceived);
        Assert.Equal(0, a.MessagesDropped + b.MessagesDropped + a.MessagesRejected + b.MessagesRejected);
    }

    [Fact]
    public async Task ThreeTransportsExchangeEveryMessageTypeBetweenEveryPair()
    {
        await using var harness = new TransportHarness();
        var nodes = new[] { "a", "b", "c" }.Select(name => harness.Start(harness.Service.Node(name))).ToArray();
        TransportHarness.Connect(nodes);
        var sent = new Dictionary<(NodeId From, NodeId To), IReadOnlyList<RaftMessage>>();

        foreach (var sender in nodes)
        {
            foreach (var receiver in nodes.Where(node => node != sender))
            {
                var messages = TestMessages.EveryType(sender.LocalId, receiver.LocalId);
                sent[(sender.LocalId, receiver.LocalId)] = messages;
                Assert.All(messages, message => Assert.True(sender.Send(message)));
            }
        }

        foreach (var receiver in nodes)
        {
            // Each sender's messages arrive in order on its own connection; senders interleave.
            var received = await TransportHarness.ReceiveAsync(receiver, 2 * 6);
            foreach (var sender in nodes.Where(node => node != receiver))
            {
                TestMessages.AssertSameSequence(sent[(sender.LocalId, receiver.LocalId)], received.Where(m => m.From == sender.LocalId).ToList());
            }

            Assert.All(received, message => Assert.Equal(receiver.LocalId, message.To));
            Assert.Equal(2, receiver.InboundConnections);
            Assert.Equal(2, receiver.ConnectionsAccepted);
        }
    }

    [Fact]
    public async Task BatchesOfLargeEntriesArriveIntact()
    {
        await using var harness = new TransportHarness();
        var a = harness.Start(harness.Service.Node("a"));
        var b = harness.Start(harness.Service.Node("b"));
        TransportHarness.Connect(a, b);

        // Three append messages of four 768 KiB entries: frames of 3 MiB, several per write.
        var messages = Enumerable.Range(0, 3)
            .Select(i => (RaftMessage)TestMessages.LargeAppend(a.LocalId, b.LocalId, prevIndex: i * 4, count: 4, bytes: 768 * 1024, seed: i))
            .ToList();
        Assert.All(messages, message => Assert.True(a.Send(message)));

        var received = await TransportHarness.ReceiveAsync(b, messages.Count);

        TestMessages.AssertSameSequence(messages, received);
        Assert.Equal(
            messages.SelectMany(m => ((AppendEntriesRequest)m).Entries).Select(e => Convert.ToHexString(SHA256.HashData(e.Payload.Span))),
            received.SelectMany(m => ((AppendEntriesRequest)m).Entries).Select(e => Convert.ToHexString(SHA256.HashData(e.Payload.Span))));
    }

    [Fact]
    public async Task ListeningOnPortZeroReportsTheBoundPortAndTheNodeIdOfTheCertificate()
    {
        await using var harness = new TransportHarness();
        var node = harness.Service.Node("a");

        var transport = harness.Start(node);

        Assert.NotEqual(0, transport.Endpoint.Port);
        Assert.Equal(node.Id, transport.LocalId);
    }

    [Fact]
    public async Task MessageForANodeThatIsNotAPeerIsDroppedAndCounted()
    {
        await using var harness = new TransportHarness();
        var a = harness.Start(harness.Service.Node("a"));

        var queued = a.Send(new VoteResponse(a.LocalId, new NodeId("stranger"), 1, true));

        Assert.False(queued);
        Assert.Equal(1, a.MessagesDropped);
    }

    [Fact]
    public async Task SendingInAnotherNodesNameIsRefused()
    {
        await using var harness = new TransportHarness();
        var a = harness.Start(harness.Service.Node("a"));
        var b = harness.Start(harness.Service.Node("b"));
        TransportHarness.Connect(a, b);

        Assert.Throws<ArgumentException>(() => a.Send(new VoteResponse(b.LocalId, a.LocalId, 1, true)));
    }

    [Fact]
    public async Task MessageOverTheFrameLimitIsRefusedWhenSent()
    {
        await using var harness = new TransportHarness();
        var a = harness.Start(harness.Service.Node("a"));
        var b = harness.Start(harness.Service.Node("b"));
        TransportHarness.Connect(a, b);

        var tooLarge = TestMessages.LargeAppend(a.LocalId, b.LocalId, 0, count: 65, bytes: 1024 * 1024, seed: 3);

        Assert.Throws<ArgumentException>(() => a.Send(tooLarge));
    }

    [Fact]
    public async Task RemovedPeerIsDisconnectedAndNotSentTo()
    {
        await using var harness = new TransportHarness();
        var a = harness.Start(harness.Service.Node("a"));
        var b = harness.Start(harness.Service.Node("b"));
        TransportHarness.Connect(a, b);
        a.Send(new VoteRequest(a.LocalId, b.LocalId, 2, 0, 0));
        await TransportHarness.ReceiveAsync(b);

        a.SetPeers(new Dictionary<NodeId, string>());

        await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.InboundClosedId);
        Assert.False(a.Send(new VoteRequest(a.LocalId, b.LocalId, 3, 0, 0)));
        Assert.Equal(1, a.MessagesDropped);
    }
}
