using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Vellum.Node.Cluster;
using Vellum.Node.Replication;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Cluster;

/// <summary>
/// Real nodes on loopback in one process: a founder, and nodes that join it through
/// <c>POST /node/join</c>, each with its own data folder, API port and peer port. Short ticks make
/// elections take a fraction of a second.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    public static readonly ReplicaOptions FastReplica = new()
    {
        TickInterval = TimeSpan.FromMilliseconds(10),
        Raft = new Consensus.RaftOptions { ElectionTimeoutTicks = 30, HeartbeatIntervalTicks = 3, RetransmitTicks = 6 },
    };

    private readonly TemporaryDirectory _root = new();
    private readonly List<HttpClient> _clients = [];

    public List<VellumNode?> Nodes { get; } = [];

    public List<NodeOptions> Options { get; } = [];

    public X509Certificate2 Admin { get; private set; } = null!;

    public X509Certificate2 ServiceCertificate { get; private set; } = null!;

    public static async Task<LocalCluster> StartAsync(int size, LedgerType? ledgerType = null, JoinPolicy joins = JoinPolicy.Open)
    {
        var cluster = new LocalCluster();
        await cluster.AddFounderAsync(ledgerType, joins);
        for (var i = 1; i < size; i++)
        {
            await cluster.JoinAsync();
        }

        if (size > 1)
        {
            await WaitUntilAsync(() => cluster.Leader()?.Node is { } leader && leader.Replica.Membership is { Voters.Count: var voters } && voters == size, "every node to become a voter");
        }

        return cluster;
    }

    private async Task AddFounderAsync(LedgerType? ledgerType, JoinPolicy joins)
    {
        var options = NewOptions(0, ledgerType, joins);
        var node = await VellumNode.StartAsync(options);
        Nodes.Add(node);
        Options.Add(options);
        Admin = X509Certificate2.CreateFromPemFile(Path.Combine(options.DataDirectory, "user_admin_cert.pem"), Path.Combine(options.DataDirectory, "user_admin_key.pem"));
        ServiceCertificate = X509Certificate2.CreateFromPem(node.ServiceCertificatePem);
    }

    /// <summary>Joins a new node and starts it; <paramref name="whilePending"/> hears its id if the consortium must trust it first.</summary>
    public async Task<VellumNode> JoinAsync(Action<string>? whilePending = null)
    {
        var options = NewOptions(Nodes.Count);
        var target = Leader() ?? Nodes.First(node => node is not null)!;
        await NodeJoiner.JoinAsync(JoinOptions.For(options, $"127.0.0.1:{target.Endpoint.Port}", ServiceCertificate) with
        {
            WhilePending = whilePending,
            RetryInterval = TimeSpan.FromMilliseconds(50),
        });
        var node = await VellumNode.StartAsync(options);
        Nodes.Add(node);
        Options.Add(options);
        return node;
    }

    public async Task StopAsync(int index)
    {
        await Nodes[index]!.DisposeAsync();
        Nodes[index] = null;
    }

    public async Task RestartAsync(int index)
    {
        Nodes[index] = await VellumNode.StartAsync(Options[index]);
    }

    public VellumNode? Leader() => Nodes.FirstOrDefault(node => node is not null && node.Node.Replica.IsLeader);

    public HttpClient Client(VellumNode node, bool followRedirects = true, X509Certificate2? certificate = null)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = followRedirects,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = [certificate ?? Admin],
                RemoteCertificateValidationCallback = (_, presented, _, errors) => ReachableAddress.ChainEndsAt(ServiceCertificate, presented, errors),
            },
        };
        var client = new HttpClient(handler) { BaseAddress = node.BaseAddress };
        _clients.Add(client);
        return client;
    }

    /// <summary>Waits for <paramref name="condition"/>, checking it every few milliseconds, failing after a generous deadline.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    private NodeOptions NewOptions(int index, LedgerType? ledgerType = null, JoinPolicy joins = JoinPolicy.Open) => new()
    {
        LedgerType = ledgerType,
        Joins = joins,
        DataDirectory = Path.Combine(_root.Path, $"node{index}"),
        Listen = new IPEndPoint(IPAddress.Loopback, FreePort()),
        PeerListen = new IPEndPoint(IPAddress.Loopback, FreePort()),
        Replica = FastReplica,
    };

    private static int FreePort() => Vellum.Tests.Support.ReservedPorts.Next();

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var node in Nodes.Where(node => node is not null).Reverse())
        {
            await node!.DisposeAsync();
        }

        _root.Dispose();
    }
}
