using System.Net;
using System.Net.Sockets;
using Vellum.Consensus.Messages;

namespace Vellum.Node.Tests.Replication;

public class PeerSourceAddressTests
{
    [Fact]
    public async Task ConnectionsToPeersLeaveFromTheSpecificAddressTheNodeListensOn()
    {
        await using var harness = new TransportHarness();
        var listensOn = IPAddress.Parse("127.0.0.2");
        var a = harness.Start(harness.Service.Node("a"), address: listensOn);
        using var standIn = new TcpListener(IPAddress.Loopback, 0);
        standIn.Start();
        var b = harness.Service.Node("b").Id;
        a.SetPeers(new Dictionary<Consensus.NodeId, string> { [b] = $"127.0.0.1:{((IPEndPoint)standIn.LocalEndpoint).Port}" });

        Assert.True(a.Send(new VoteRequest(a.LocalId, b, 2, 0, 0)));
        using var accepted = await standIn.AcceptSocketAsync().WaitAsync(TransportHarness.Patience);

        Assert.Equal(listensOn, ((IPEndPoint)accepted.RemoteEndPoint!).Address);
        Assert.Equal(listensOn, a.Endpoint.Address);
    }
}
