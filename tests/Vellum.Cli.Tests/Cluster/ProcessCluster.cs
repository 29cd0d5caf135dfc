using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Vellum.Cli.Tests.Cluster;

/// <summary>What <c>GET /node/state</c> said.</summary>
/// <param name="CommittedSeqno">The last seqno the node knows committed; 0 until it knows one (a restarted node learns it from the primary).</param>
internal sealed record NodeState(string NodeId, long View, bool Primary, string Role, long CommittedSeqno);

/// <summary>
/// A cluster of real <c>vellum</c> processes on loopback: the first founds the ledger, the others
/// join it. Clients present the initial Administrator's certificate, pin the service certificate,
/// and never follow redirects, so a test sees which node answered. With a <see cref="FaultProxy"/>
/// every node-to-node connection passes through it.
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    /// <summary>How long a test waits for a cluster to do what it must before failing.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _folder = new();
    private readonly List<HttpClient> _clients = [];
    private X509Certificate2? _admin;
    private X509Certificate2? _service;

    private ProcessCluster(FaultProxy? proxy) => Proxy = proxy;

    public List<NodeProcess> Nodes { get; } = [];

    public FaultProxy? Proxy { get; }

    public string ServiceCertificatePem { get; private set; } = string.Empty;

    /// <summary>Founds a ledger, joins <paramref name="size"/> - 1 nodes to it, and waits until all are voters.</summary>
    public static async Task<ProcessCluster> StartAsync(int size, bool throughProxy)
    {
        var cluster = new ProcessCluster(throughProxy ? new FaultProxy() : null);
        try
        {
            for (var i = 0; i < size; i++)
            {
                cluster.Nodes.Add(cluster.PlanNode(i));
            }

            await cluster.Nodes[0].FoundAsync();
            cluster.Trust();
            var serviceCertificate = Path.Combine(cluster.Nodes[0].DataDirectory, "service_cert.pem");
            foreach (var node in cluster.Nodes.Skip(1))
            {
                await node.JoinAsync(cluster.Nodes[0], serviceCertificate);
                Assert.Contains("its initial Administrator's files are in the founder's folder", node.Output, StringComparison.Ordinal);
            }

            await cluster.WaitUntilAsync(
                async () => (await Task.WhenAll(cluster.Nodes.Select(node => cluster.StateAsync(node.Index)))).All(state => state?.Role == "voter"),
                "every node to become a voter");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public HttpClient Client(int node) => _clients[node];

    /// <summary>The node's state, or null when it does not answer.</summary>
    public async Task<NodeState?> StateAsync(int node)
    {
        try
        {
            using var response = await _clients[node].GetAsync("/node/state");
            var state = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return new NodeState(
                state.GetProperty("nodeId").GetString()!,
                state.GetProperty("view").GetInt64(),
                state.GetProperty("primary").GetBoolean(),
                state.GetProperty("role").GetString()!,
                long.Parse(state.GetProperty("lastCommittedTransactionId").GetString()!.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>The index of the node that says it is primary, among <paramref name="among"/>, once one does.</summary>
    public async Task<int> WaitForPrimaryAsync(IEnumerable<int> among)
    {
        var candidates = among.ToList();
        var primary = -1;
        await WaitUntilAsync(
            async () =>
            {
                foreach (var node in candidates)
                {
                    if (await StateAsync(node) is { Primary: true })
                    {
                        primary = node;
                        return true;
                    }
                }

                return false;
            },
            $"a primary among nodes {string.Join(", ", candidates)}");
        return primary;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with every node's output after <see cref="Patience"/>.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Gave up waiting for {what}.\n{Outputs()}");
            }

            // A poll interval, not a stand-in for the condition: the loop ends when it holds.
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    public string Outputs() => string.Join("\n", Nodes.Select(node => $"--- node {node.Index} ---\n{node.Output}"));

    private NodeProcess PlanNode(int index)
    {
        // Each node's peer endpoint gets a loopback address of its own, so the proxy can tell
        // nodes apart by where their connections come from.
        var peerAddress = IPAddress.Parse($"127.0.0.{11 + index}");
        var peerListen = new IPEndPoint(peerAddress, Support.Loopback.FreePort(peerAddress));
        var advertised = Proxy?.AddNode(index, peerAddress, peerListen);
        return new NodeProcess(index, Path.Combine(_folder.Path, $"node{index}"), Support.Loopback.FreePort(), peerListen, advertised);
    }

    private void Trust()
    {
        var founder = Nodes[0].DataDirectory;
        ServiceCertificatePem = File.ReadAllText(Path.Combine(founder, "service_cert.pem"));
        _service = X509Certificate2.CreateFromPem(ServiceCertificatePem);
        _admin = X509Certificate2.CreateFromPemFile(Path.Combine(founder, "user_admin_cert.pem"), Path.Combine(founder, "user_admin_key.pem"));
        foreach (var node in Nodes)
        {
            var handler = new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                MaxConnectionsPerServer = 32,
                SslOptions = new SslClientAuthenticationOptions
                {
                    ClientCertificates = [_admin],
                    RemoteCertificateValidationCallback = (_, presented, _, errors) => Vellum.Node.ReachableAddress.ChainEndsAt(_service, presented, errors),
                },
            };
            _clients.Add(new HttpClient(handler) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) });
        }
    }


    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        _admin?.Dispose();
        _service?.Dispose();
        _folder.Dispose();
    }
}
