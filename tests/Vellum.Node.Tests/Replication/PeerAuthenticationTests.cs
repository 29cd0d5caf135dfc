using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Vellum.Consensus.Messages;
using Vellum.Node.Replication;

namespace Vellum.Node.Tests.Replication;

/// <summary>Only nodes of the service get in, each only as itself, and only over TLS 1.3; checked in both directions.</summary>
public class PeerAuthenticationTests
{
    [Theory]
    [InlineData("issued by another service")]
    [InlineData("self-signed")]
    public async Task CallerWhoseCertificateIsNotFromTheServiceIsRefused(string kind)
    {
        await using var harness = new TransportHarness();
        using var other = new TestService("Another Service");
        var b = harness.Start(harness.Service.Node("b"));
        var impostor = kind == "self-signed" ? harness.Service.SelfSigned("a") : other.Node("a");

        await using var raw = await RawPeer.ConnectAsync(b.Endpoint, impostor.Certificate);
        await raw.TrySendHelloAsync(impostor.Id, b.LocalId);

        var refusal = await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.RefusedId);
        Assert.Contains("is not valid under the service certificate", refusal.Message, StringComparison.Ordinal);
        await raw.AssertClosedByOtherSideAsync();
        Assert.Equal(1, b.ConnectionsRefused);
        Assert.Equal(0, b.ConnectionsAccepted);
    }

    [Fact]
    public async Task CallerWithoutACertificateIsRefused()
    {
        await using var harness = new TransportHarness();
        var b = harness.Start(harness.Service.Node("b"));

        await using var raw = await RawPeer.ConnectAsync(b.Endpoint, certificate: null);
        await raw.TrySendHelloAsync(harness.Service.Node("a").Id, b.LocalId);

        var refusal = await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.RefusedId);
        Assert.Contains("presented no certificate", refusal.Message, StringComparison.Ordinal);
        await raw.AssertClosedByOtherSideAsync();
        Assert.Equal(0, b.ConnectionsAccepted);
    }

    [Fact]
    public async Task CallerClaimingAnotherNodesIdInItsHelloIsRefused()
    {
        await using var harness = new TransportHarness();
        var a = harness.Service.Node("a");
        var c = harness.Service.Node("c");
        var b = harness.Start(harness.Service.Node("b"));

        await using var raw = await RawPeer.ConnectAsync(b.Endpoint, c.Certificate);
        await raw.SendHelloAsync(a.Id, b.LocalId);
        await raw.SendAsync(new VoteRequest(a.Id, b.LocalId, 5, 0, 0));

        var refusal = await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.RefusedId);
        Assert.Contains($"belongs to node {c.Id}, but its hello claims to be node {a.Id}", refusal.Message, StringComparison.Ordinal);
        await raw.AssertClosedByOtherSideAsync();
        Assert.Equal(0, b.ConnectionsAccepted);
        Assert.False(b.Received.TryRead(out _));
    }

    [Fact]
    public async Task CallerWhoseHelloIsForAnotherNodeIsRefused()
    {
        await using var harness = new TransportHarness();
        var a = harness.Service.Node("a");
        var c = harness.Service.Node("c");
        var b = harness.Start(harness.Service.Node("b"));

        await using var raw = await RawPeer.ConnectAsync(b.Endpoint, c.Certificate);
        await raw.SendHelloAsync(c.Id, a.Id);

        var refusal = await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.RefusedId);
        Assert.Contains($"meant to reach node {a.Id}", refusal.Message, StringComparison.Ordinal);
        await raw.AssertClosedByOtherSideAsync();
    }

    [Fact]
    public async Task MessagesWithAForgedSenderOrReceiverAreDroppedAndTheRestDelivered()
    {
        await using var harness = new TransportHarness();
        var a = harness.Service.Node("a");
        var c = harness.Service.Node("c");
        var b = harness.Start(harness.Service.Node("b"));
        var genuine = new VoteRequest(c.Id, b.LocalId, 6, 10, 5);

        await using var raw = await RawPeer.ConnectAsync(b.Endpoint, c.Certificate);
        await raw.SendHelloAsync(c.Id, b.LocalId);
        Assert.Equal(new PeerHello(b.LocalId, c.Id), await raw.ReadHelloAsync());
        await raw.SendAsync(
            new VoteRequest(a.Id, b.LocalId, 6, 10, 5),
            new AppendEntriesResponse(c.Id, a.Id, 6, true, 3, 3),
            genuine);

        // Frames on one connection are handled in order, so the genuine message comes after both forgeries were judged.
        Assert.Equal(genuine, await TransportHarness.ReceiveAsync(b));
        Assert.Equal(2, b.MessagesRejected);
        Assert.Equal(1, b.MessagesReceived);
        Assert.False(b.Received.TryRead(out _));
        var rejected = harness.Log(b).Entries.Where(entry => entry.EventId == ReplicationLog.MessageRejectedId).ToList();
        Assert.Equal(2, rejected.Count);
    }

    [Fact]
    public async Task CallerLimitedToTls12IsRefused()
    {
        await using var harness = new TransportHarness();
        var a = harness.Service.Node("a");
        var b = harness.Start(harness.Service.Node("b"));

        await Assert.ThrowsAsync<AuthenticationException>(() => RawPeer.ConnectAsync(b.Endpoint, a.Certificate, SslProtocols.Tls12));

        await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.RefusedId);
        Assert.Equal(0, b.ConnectionsAccepted);
    }

    [Fact]
    public async Task CallerThatDoesNotNameThePeerProtocolIsRefused()
    {
        await using var harness = new TransportHarness();
        var a = harness.Service.Node("a");
        var b = harness.Start(harness.Service.Node("b"));

        await using var raw = await RawPeer.ConnectAsync(b.Endpoint, a.Certificate, offerProtocolName: false);
        await raw.TrySendHelloAsync(a.Id, b.LocalId);

        var refusal = await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.RefusedId);
        Assert.Contains("vellum-raft/1", refusal.Message, StringComparison.Ordinal);
        await raw.AssertClosedByOtherSideAsync();
    }

    [Fact]
    public async Task MalformedFrameClosesTheConnection()
    {
        await using var harness = new TransportHarness();
        var a = harness.Service.Node("a");
        var b = harness.Start(harness.Service.Node("b"));

        await using var raw = await RawPeer.ConnectAsync(b.Endpoint, a.Certificate);
        await raw.SendHelloAsync(a.Id, b.LocalId);
        Assert.Equal(new PeerHello(b.LocalId, a.Id), await raw.ReadHelloAsync());
        await raw.SendBytesAsync(new FrameBuilder(type: 99).Id("x").Id("y").I64(0).Build());

        var closed = await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.InboundClosedId);
        Assert.Contains("message type 99 is unknown", closed.Message, StringComparison.Ordinal);
        await raw.AssertClosedByOtherSideAsync();
    }

    [Fact]
    public async Task LengthPrefixOverTheLimitClosesTheConnectionWithoutWaitingForTheBody()
    {
        await using var harness = new TransportHarness();
        var a = harness.Service.Node("a");
        var b = harness.Start(harness.Service.Node("b"));

        await using var raw = await RawPeer.ConnectAsync(b.Endpoint, a.Certificate);
        await raw.SendHelloAsync(a.Id, b.LocalId);
        Assert.Equal(new PeerHello(b.LocalId, a.Id), await raw.ReadHelloAsync());
        await raw.SendBytesAsync([0xFF, 0xFF, 0xFF, 0x7F]);

        var closed = await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.InboundClosedId);
        Assert.Contains("more than the limit", closed.Message, StringComparison.Ordinal);
        await raw.AssertClosedByOtherSideAsync();
    }

    [Fact]
    public async Task HelloLongerThanAnyHelloIsRefusedWithoutWaitingForIt()
    {
        await using var harness = new TransportHarness();
        var a = harness.Service.Node("a");
        var b = harness.Start(harness.Service.Node("b"));

        await using var raw = await RawPeer.ConnectAsync(b.Endpoint, a.Certificate);
        await raw.SendBytesAsync([0x00, 0x00, 0x10, 0x00]);

        var refusal = await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.RefusedId);
        Assert.Contains("more than the limit", refusal.Message, StringComparison.Ordinal);
        await raw.AssertClosedByOtherSideAsync();
    }

    [Fact]
    public async Task ConnectionThatNeverStartsTlsIsClosedAfterTheHandshakeTimeout()
    {
        await using var harness = new TransportHarness();
        var b = harness.Start(harness.Service.Node("b"));
        using var silent = new TcpClient();
        await silent.ConnectAsync(b.Endpoint);

        await harness.Clock.WhenTimerPendingAsync(TransportHarness.HandshakeTimeout).WaitAsync(TransportHarness.Patience);
        harness.Clock.Advance(TransportHarness.HandshakeTimeout);

        var refusal = await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.RefusedId);
        Assert.Contains("not set up within", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, await silent.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TransportHarness.Patience));
    }

    [Fact]
    public async Task PeerWhoseCertificateIsNotFromTheServiceIsNotSentTo()
    {
        await using var harness = new TransportHarness();
        using var other = new TestService("Another Service");
        var a = harness.Start(harness.Service.Node("a"));
        var foreign = harness.Start(other.Node("f"), trusting: other.Certificate);
        a.SetPeers(new Dictionary<Consensus.NodeId, string> { [foreign.LocalId] = TransportHarness.Address(foreign) });

        a.Send(new VoteRequest(a.LocalId, foreign.LocalId, 2, 0, 0));

        var failure = await TransportHarness.WaitForLogAsync(harness.Log(a), ReplicationLog.ConnectFailedId);
        Assert.Contains("is not valid under the service certificate", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, a.ConnectionsOpened);
        Assert.Equal(1, a.ConnectAttemptsFailed);
        Assert.Equal(0, foreign.ConnectionsAccepted);
        Assert.False(foreign.Received.TryRead(out _));
    }

    [Fact]
    public async Task PeerThatRefusesOurCertificateIsNotCountedAsConnectedAndTheQueueIsKept()
    {
        await using var harness = new TransportHarness();
        using var other = new TestService("Another Service");
        var a = harness.Start(harness.Service.Node("a"));

        // b holds a certificate of a's service, so a accepts b, but b trusts another service and refuses a.
        var b = harness.Start(harness.Service.Node("b"), trusting: other.Certificate);
        a.SetPeers(new Dictionary<Consensus.NodeId, string> { [b.LocalId] = TransportHarness.Address(b) });
        a.Send(new VoteRequest(a.LocalId, b.LocalId, 2, 0, 0));

        await TransportHarness.WaitForLogAsync(harness.Log(a), ReplicationLog.ConnectFailedId);
        var refusal = await TransportHarness.WaitForLogAsync(harness.Log(b), ReplicationLog.RefusedId);
        Assert.Contains("is not valid under the service certificate", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(0, a.ConnectionsOpened);
        Assert.Equal(0, a.MessagesSent + a.MessagesDropped);
    }

    [Fact]
    public async Task PeerAnsweringWithAnotherNodesCertificateIsNotSentTo()
    {
        await using var harness = new TransportHarness();
        var a = harness.Start(harness.Service.Node("a"));
        var b = harness.Service.Node("b");
        var c = harness.Start(harness.Service.Node("c"));

        // The address a has for b is really c's: a stale address after nodes moved, or an impostor.
        a.SetPeers(new Dictionary<Consensus.NodeId, string> { [b.Id] = TransportHarness.Address(c) });
        a.Send(new VoteRequest(a.LocalId, b.Id, 2, 0, 0));

        var failure = await TransportHarness.WaitForLogAsync(harness.Log(a), ReplicationLog.ConnectFailedId);
        Assert.Contains($"belongs to node {c.LocalId}, not to node {b.Id}", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, a.ConnectionsOpened);
        Assert.Equal(0, c.ConnectionsAccepted);
        Assert.False(c.Received.TryRead(out _));
    }

    [Fact]
    public async Task PeerLimitedToTls12IsNotSentTo()
    {
        await using var harness = new TransportHarness();
        var a = harness.Start(harness.Service.Node("a"));
        var b = harness.Service.Node("b");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = b.Certificate,
                EnabledSslProtocols = SslProtocols.Tls12,
                ClientCertificateRequired = true,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
            });
        });

        a.SetPeers(new Dictionary<Consensus.NodeId, string> { [b.Id] = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}" });

        await Assert.ThrowsAnyAsync<Exception>(() => server.WaitAsync(TransportHarness.Patience));
        await TransportHarness.WaitForLogAsync(harness.Log(a), ReplicationLog.ConnectFailedId);
        Assert.Equal(0, a.ConnectionsOpened);
    }
}
