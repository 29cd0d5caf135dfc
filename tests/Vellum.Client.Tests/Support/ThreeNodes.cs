using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Client.Http;
using Vellum.Node;
using Vellum.Node.Cluster;
using Vellum.Node.Replication;

namespace Vellum.Client.Tests.Support;

/// <summary>
/// Three real nodes in this process: a founder and two that join it through <c>POST /node/join</c>,
/// with short ticks so elections take a fraction of a second. Only the node's public API is used.
/// </summary>
internal sealed class ThreeNodes : IAsyncDisposable
{
    private static readonly ReplicaOptions FastReplica = new()
    {
        TickInterval = TimeSpan.FromMilliseconds(10),
        Raft = new Consensus.RaftOptions { ElectionTimeoutTicks = 30, HeartbeatIntervalTicks = 3, RetransmitTicks = 6 },
    };

    private readonly TempFolder _folder = new();
    private HttpClient _probe = null!;

    public List<VellumNode> Nodes { get; } = [];

    public X509Certificate2 ServiceCertificate { get; private set; } = null!;

    public X509Certificate2 Admin { get; private set; } = null!;

    public LedgerIdentity Identity => LedgerIdentity.FromPem(Nodes[0].ServiceCertificatePem);

    public static async Task<ThreeNodes> StartAsync()
    {
        var cluster = new ThreeNodes();
        cluster.AddFounder(await VellumNode.StartAsync(cluster.NewOptions(0)));
        for (var i = 1; i < 3; i++)
        {
            var options = cluster.NewOptions(i);
            await NodeJoiner.JoinAsync(JoinOptions.For(options, $"127.0.0.1:{cluster.Nodes[0].Endpoint.Port}", cluster.ServiceCertificate) with
            {
                RetryInterval = TimeSpan.FromMilliseconds(50),
            });
            cluster.Nodes.Add(await VellumNode.StartAsync(options));
        }

        await WaitUntilAsync(async () => await cluster.VotersAsync() == 3, "every node to become a voter");
        return cluster;
    }

    /// <summary>The node that says it is the primary, asked over HTTP.</summary>
    public async Task<VellumNode> PrimaryAsync()
    {
        VellumNode? primary = null;
        await WaitUntilAsync(async () => (primary = await FindPrimaryAsync()) is not null, "a primary");
        return primary!;
    }

    /// <summary>Waits for <paramref name="condition"/>, checking it every few milliseconds, failing after a generous deadline.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _probe.Dispose();
        foreach (var node in Enumerable.Reverse(Nodes))
        {
            await node.DisposeAsync();
        }

        Admin.Dispose();
        ServiceCertificate.Dispose();
        _folder.Dispose();
    }

    private void AddFounder(VellumNode founder)
    {
        Nodes.Add(founder);
        var service = X509Certificate2.CreateFromPem(founder.ServiceCertificatePem);
        ServiceCertificate = service;
        Admin = X509Certificate2.CreateFromPemFile(Path.Combine(founder.DataDirectory, "user_admin_cert.pem"), Path.Combine(founder.DataDirectory, "user_admin_key.pem"));
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, errors) => Vellum.Core.Identity.ServiceCertificatePin.ChainEndsAt(service, presented, errors),
            },
        };
        _probe = new HttpClient(handler);
    }

    private NodeOptions NewOptions(int index) => new()
    {
        DataDirectory = Path.Combine(_folder.Path, $"node{index}"),
        Listen = new IPEndPoint(IPAddress.Loopback, FreePort()),
        PeerListen = new IPEndPoint(IPAddress.Loopback, FreePort()),
        Replica = FastReplica,
    };

    private async Task<int> VotersAsync()
    {
        using var document = JsonDocument.Parse(await _probe.GetStringAsync(new Uri(Nodes[0].BaseAddress, "/node/members")));
        return document.RootElement.GetProperty("members").EnumerateArray().Count(member => member.GetProperty("role").GetString() == "voter");
    }

    private async Task<VellumNode?> FindPrimaryAsync()
    {
        foreach (var node in Nodes)
        {
            using var document = JsonDocument.Parse(await _probe.GetStringAsync(new Uri(node.BaseAddress, "/node/state")));
            if (document.RootElement.GetProperty("primary").GetBoolean())
            {
                return node;
            }
        }

        return null;
    }

    private static int FreePort() => Vellum.Tests.Support.ReservedPorts.Next();
}
