using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Vellum.Bench;

/// <summary>
/// One Vellum node and the HTTP floor beside it, in this process on loopback, with clients of
/// both over HTTP/1.1 and HTTP/2: what the single-node scenarios share.
/// </summary>
internal sealed class SingleNodeRig : IAsyncDisposable
{
    public const string FloorName = "kestrel https";
    private readonly ILoggerFactory _logging;
    private readonly List<HttpClient> _clients = [];

    private SingleNodeRig(ILoggerFactory logging, BenchCluster node, KestrelFloor floor)
    {
        _logging = logging;
        Node = node;
        Floor = floor;
    }

    public BenchCluster Node { get; }

    public KestrelFloor Floor { get; }

    /// <summary>The rig's logging, warnings and worse, for a node it starts again.</summary>
    public ILoggerFactory Logging => _logging;

    public static async Task<SingleNodeRig> StartAsync(string directory)
    {
        // Warnings and worse only: a failing node must be visible, routine progress must not drown the report.
        var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        var node = await BenchCluster.StartAsync(directory, 1, logging);
        var floor = await KestrelFloor.StartAsync(node.Nodes[0].DataDirectory);
        return new SingleNodeRig(logging, node, floor);
    }

    /// <summary>The body of a single append whose contents are <paramref name="contentBytes"/> ASCII bytes.</summary>
    public static byte[] AppendBody(int contentBytes) => Encoding.UTF8.GetBytes($"{{\"contents\":\"{new string('v', contentBytes)}\"}}");

    /// <summary>A client of the node over <paramref name="version"/>, owned by the rig.</summary>
    public HttpClient NodeClient(Version? version = null) => Own(HttpLoad.CreateClient(Node.Primary.BaseAddress, Node.Admin, Node.ServiceCertificate, version ?? HttpVersion.Version11));

    /// <summary>A client of the floor over <paramref name="version"/>, owned by the rig.</summary>
    public HttpClient FloorClient(Version? version = null) => Own(HttpLoad.CreateClient(Floor.BaseAddress, Node.Admin, Node.ServiceCertificate, version ?? HttpVersion.Version11));

    /// <summary>The bytes of the node's ledger files just now.</summary>
    public long LedgerBytes() => LedgerFiles().Sum(file => file.Length);

    /// <summary>The ledger's bytes on disk split by kind of file: chunk files, the Merkle node file, and the rest (checkpoint, lock).</summary>
    public (long Chunks, long Nodes, long Other) LedgerBytesByKind()
    {
        long chunks = 0, nodes = 0, other = 0;
        foreach (var file in LedgerFiles())
        {
            if (file.Name.StartsWith("ledger_", StringComparison.Ordinal))
            {
                chunks += file.Length;
            }
            else if (file.Name == "merkle.nodes")
            {
                nodes += file.Length;
            }
            else
            {
                other += file.Length;
            }
        }

        return (chunks, nodes, other);
    }

    /// <summary>The bytes and entries of the closed chunk files holding only seqnos after <paramref name="seqno"/>.</summary>
    public (long Bytes, long Entries) ClosedChunksAfter(long seqno)
    {
        long bytes = 0, entries = 0;
        foreach (var file in LedgerFiles())
        {
            if (Vellum.Storage.ClosedChunkFiles.TryParseName(file.Name, out var first, out var last) && first > seqno)
            {
                bytes += file.Length;
                entries += last - first + 1;
            }
        }

        return (bytes, entries);
    }

    private IEnumerable<FileInfo> LedgerFiles()
        => Directory.GetFiles(Path.Combine(Node.Nodes[0].DataDirectory, "ledger"), "*", SearchOption.AllDirectories).Select(path => new FileInfo(path));

    private HttpClient Own(HttpClient client)
    {
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Floor.DisposeAsync();
        await Node.DisposeAsync();
        _logging.Dispose();
    }
}
