using System.Net;
using System.Security.Cryptography.X509Certificates;
using Vellum.Node.Cluster;

namespace Vellum.Node.Tests.Cluster;

public class AdvertisedAddressTests
{
    private static readonly X509Certificate2 NoCertificate = null!;

    [Fact]
    public void ByDefaultTheNodeIsReachedWhereItListensWithThePeerPortOneAboveTheApiPort()
    {
        var options = new NodeOptions { Listen = new IPEndPoint(IPAddress.Loopback, 9000) };

        var join = JoinOptions.For(options, "127.0.0.1:8443", NoCertificate);

        Assert.Equal("127.0.0.1:9000", join.ApiAddress);
        Assert.Equal("127.0.0.1:9001", join.PeerAddress);
    }

    [Fact]
    public void AnAnyAddressListenerIsReachedAtItsPublicHostAndASpecificPeerListenerAtItsOwnAddress()
    {
        var options = new NodeOptions
        {
            Listen = new IPEndPoint(IPAddress.Any, 9000),
            PublicHost = "ledger.example",
            PeerListen = new IPEndPoint(IPAddress.Parse("10.1.2.3"), 9100),
        };

        Assert.Equal("ledger.example:9000", options.AdvertisedApiAddress(9000));
        Assert.Equal("10.1.2.3:9100", options.AdvertisedPeerAddress(9100));
        Assert.Equal("ledger.example:9100", new NodeOptions { Listen = new IPEndPoint(IPAddress.Any, 9000), PublicHost = "ledger.example" }.AdvertisedPeerAddress(9100));
        Assert.Equal("[::1]:9100", new NodeOptions { Listen = new IPEndPoint(IPAddress.IPv6Loopback, 9000) }.AdvertisedPeerAddress(9100));
    }

    [Fact]
    public void AnAdvertisedPeerAddressReplacesTheListenAddressInTheJoin()
    {
        var options = new NodeOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 9000),
            PeerListen = new IPEndPoint(IPAddress.Loopback, 0),
            PeerAdvertise = "proxy.example:7001",
        };

        Assert.Equal("proxy.example:7001", JoinOptions.For(options, "127.0.0.1:8443", NoCertificate).PeerAddress);
    }

    [Fact]
    public void AJoinNeedsFixedPortsUnlessThePeerAddressIsAdvertised()
    {
        Assert.Throws<ArgumentException>(() => JoinOptions.For(new NodeOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, "127.0.0.1:8443", NoCertificate));
        Assert.Throws<ArgumentException>(() => JoinOptions.For(
            new NodeOptions { Listen = new IPEndPoint(IPAddress.Loopback, 9000), PeerListen = new IPEndPoint(IPAddress.Loopback, 0) }, "127.0.0.1:8443", NoCertificate));
    }
}
