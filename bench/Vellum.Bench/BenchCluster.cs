using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Vellum.Core;
using Vellum.Node;
using Vellum.Node.Cluster;
using Vellum.Tests.Support;

namespace Vellum.Bench;

/// <summary>
/// Vellum nodes in this process on loopback: a founder and, for a cluster, nodes that join it
/// through <c>POST /node/join</c>, as <c>vellum cluster up</c> runs them, with default consensus
/// timing and signature cadence. Writes go to the primary.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);
    private readonly List<VellumNode> _nodes = [];
    private readonly List<HttpClient> _clients = [];
    private long _primaryTerm;

    private BenchCluster(string root)
    {
        Root = root;
    }

    /// <summary>The folder holding each node's data folder.</summary>
    public string Root { get; }

    public IReadOnlyList<VellumNode> Nodes => _nodes;

    public X509Certificate2 Admin { get; private set; } = null!;

    public X509Certificate2 ServiceCertificate { get; private set; } = null!;

    /// <summary>The primary when the cluster became ready; <see cref="CheckPrimaryKept"/> says whether it still is.</summary>
    public VellumNode Primary { get; private set; } = null!;

    /// <summary>
    /// Starts <paramref name="size"/> nodes and returns once the primary's log makes every one a
    /// voter; that membership may still be committing, and the first write that waits for commit
    /// waits for it too.
    /// </summary>
    public static async Task<BenchCluster> StartAsync(string root, int size, ILoggerFactory logging)
    {
        var cluster = new BenchCluster(root);
        try
        {
            var founder = await VellumNode.StartAsync(cluster.Options(0, logging));
            cluster._nodes.Add(founder);
            cluster.Admin = X509Certificate2.CreateFromPemFile(Path.Combine(founder.DataDirectory, "user_admin_cert.pem"), Path.Combine(founder.DataDirectory, "user_admin_key.pem"));
            cluster.ServiceCertificate = X509Certificate2.CreateFromPem(founder.ServiceCertificatePem);
            for (var i = 1; i < size; i++)
            {
                var options = cluster.Options(i, logging);
                await NodeJoiner.JoinAsync(JoinOptions.For(options, $"127.0.0.1:{founder.Endpoint.Port}", cluster.ServiceCertificate));
                cluster._nodes.Add(await VellumNode.StartAsync(options));
            }

            await cluster.WaitUntilAsync(() => size == 1 || cluster.Leader()?.Node.Replica.Membership?.Voters.Count == size, "every node to become a voter");
            cluster.Primary = cluster.Leader()!;
            cluster._primaryTerm = cluster.Primary.Node.Replica.Term;
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops a single node and starts it again on its data folder, as an operator's restart does;
    /// returns the time <see cref="VellumNode.StartAsync"/> took, which ends once the node serves.
    /// </summary>
    public async Task<TimeSpan> RestartSingleNodeAsync(ILoggerFactory logging)
    {
        Invariant.Check(_nodes.Count == 1, "only a single node is restarted in place");
        await _nodes[0].DisposeAsync();
        _nodes.Clear();
        var options = Options(0, logging);
        var watch = Stopwatch.StartNew();
        var node = await VellumNode.StartAsync(options);
        var elapsed = watch.Elapsed;
        _nodes.Add(node);
        Primary = node;
        _primaryTerm = node.Node.Replica.Term;
        return elapsed;
    }

    /// <summary>A new client of the primary, owned by the cluster.</summary>
    public HttpClient PrimaryClient()
    {
        var client = HttpLoad.CreateClient(Primary.BaseAddress, Admin, ServiceCertificate);
        _clients.Add(client);
        return client;
    }

    /// <summary>
    /// Waits until everything written so far is committed (a write that waits for commit commits
    /// only after every earlier one) and durable on every node, so one measurement's backlog does
    /// not slow the next.
    /// </summary>
    public async Task DrainAsync(HttpClient client, byte[] body)
    {
        await HttpLoad.PostAsync(client, "/app/transactions?api-version=2024-08-22-preview&waitForCommit=true", body);
        var committed = Primary.Committed.Seqno;
        await WaitUntilAsync(() => _nodes.All(node => node.Node.Ledger.DurableSeqno >= committed), "every node to hold the committed entries");
    }

    /// <summary>Whether the node that was primary when the cluster became ready still is, in the same term.</summary>
    public bool CheckPrimaryKept() => Primary.Node.Replica.IsLeader && Primary.Node.Replica.Term == _primaryTerm;

    private VellumNode? Leader() => _nodes.FirstOrDefault(node => node.Node.Replica.IsLeader);

    private NodeOptions Options(int index, ILoggerFactory logging) => new()
    {
        DataDirectory = Path.Combine(Root, $"node{index}"),
        Listen = new IPEndPoint(IPAddress.Loopback, ReservedPorts.Next()),
        PeerListen = new IPEndPoint(IPAddress.Loopback, ReservedPorts.Next()),
        LoggerFactory = logging,
    };

    private async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > ReadyDeadline)
            {
                throw new TimeoutException($"Gave up after {ReadyDeadline.TotalSeconds:0} s waiting for {what} in {Root}.");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            await _nodes[i].DisposeAsync();
        }

        Admin?.Dispose();
        ServiceCertificate?.Dispose();
    }
}
