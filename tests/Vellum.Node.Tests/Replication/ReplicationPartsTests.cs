using System.Security.Cryptography;
using Vellum.Consensus;
using Vellum.Node.Replication;

namespace Vellum.Node.Tests.Replication;

public class ReplicationPartsTests
{
    [Fact]
    public void BackoffDoublesUpToTheCapAndStartsOverAfterReset()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(700));

        var delays = Enumerable.Range(0, 6).Select(_ => backoff.Next().TotalMilliseconds).ToList();
        backoff.Reset();

        Assert.Equal([100, 200, 400, 700, 700, 700], delays);
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Next());
    }

    [Theory]
    [InlineData("127.0.0.1:7000", "127.0.0.1", 7000)]
    [InlineData("node-1.ledger.example:443", "node-1.ledger.example", 443)]
    [InlineData("[::1]:65535", "::1", 65535)]
    public void PeerAddressesParse(string text, string host, int port)
    {
        var address = PeerAddress.Parse(text);

        Assert.Equal(new PeerAddress(host, port), address);
        Assert.Equal(text, address.ToString());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData(":7000")]
    [InlineData("localhost:0")]
    [InlineData("localhost:65536")]
    [InlineData("localhost:+80")]
    [InlineData("::1:7000")]
    [InlineData("[localhost]:7000")]
    [InlineData("a b:7000")]
    public void MalformedPeerAddressesAreRefused(string text)
    {
        Assert.Throws<ArgumentException>(() => PeerAddress.Parse(text));
    }

    [Fact]
    public void NodeIdOfACertificateIsTheDigestOfItsPublicKeyAsNodeIdentityComputesIt()
    {
        using var service = new TestService();
        var node = service.Node("a");

        var id = NodeIds.FromCertificate(node.Certificate);

        Assert.Equal(node.Id, id);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(node.Certificate.PublicKey.ExportSubjectPublicKeyInfo())), id.Value);
    }

    [Fact]
    public async Task SetPeersWithABadAddressChangesNothing()
    {
        await using var harness = new TransportHarness();
        var a = harness.Start(harness.Service.Node("a"));
        var b = harness.Start(harness.Service.Node("b"));

        Assert.Throws<ArgumentException>(() => a.SetPeers(new Dictionary<NodeId, string>
        {
            [b.LocalId] = TransportHarness.Address(b),
            [new NodeId("c")] = "no-port",
        }));

        Assert.False(a.Send(new Consensus.Messages.VoteResponse(a.LocalId, b.LocalId, 1, true)));
    }
}
