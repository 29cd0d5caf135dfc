using System.Net;
using System.Security.Cryptography.X509Certificates;
using Vellum.Node;

namespace Vellum.Client.Tests.Support;

/// <summary>
/// A real node in this process (Kestrel, TLS 1.3, a free loopback port) over a temporary data
/// folder, and SDK clients for it that are disposed with it.
/// </summary>
internal sealed class LedgerNode : IAsyncDisposable
{
    /// <summary>Retries and polls quick enough for tests, with retries still on.</summary>
    public static readonly LedgerClientOptions FastOptions = new()
    {
        InitialRetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(100),
        InitialPollDelay = TimeSpan.FromMilliseconds(2),
        MaxPollDelay = TimeSpan.FromMilliseconds(50),
    };

    private readonly TempFolder _folder;
    private readonly List<IDisposable> _owned = [];

    private LedgerNode(VellumNode node, TempFolder folder)
    {
        Node = node;
        _folder = folder;
        Admin = X509Certificate2.CreateFromPemFile(Path.Combine(node.DataDirectory, "user_admin_cert.pem"), Path.Combine(node.DataDirectory, "user_admin_key.pem"));
        Identity = LedgerIdentity.FromPem(node.ServiceCertificatePem, node.LedgerName);
    }

    public VellumNode Node { get; }

    public Uri Endpoint => Node.BaseAddress;

    public LedgerIdentity Identity { get; }

    /// <summary>The initial Administrator's certificate, with its key.</summary>
    public X509Certificate2 Admin { get; }

    public static async Task<LedgerNode> StartAsync(Func<NodeOptions, NodeOptions>? configure = null)
    {
        var folder = new TempFolder();
        var options = new NodeOptions { DataDirectory = Path.Combine(folder.Path, "data"), Listen = new IPEndPoint(IPAddress.Loopback, 0) };
        var node = await VellumNode.StartAsync(configure is null ? options : configure(options));
        return new LedgerNode(node, folder);
    }

    /// <summary>A client calling as the Administrator, pinned to this node's identity.</summary>
    public LedgerClient AdminClient() => Client(LedgerCredential.FromCertificate(Admin));

    public LedgerClient Client(LedgerCredential credential, LedgerClientOptions? options = null) => Own(new LedgerClient(Endpoint, Identity, credential, options ?? FastOptions));

    /// <summary>A new user certificate, disposed with the node.</summary>
    public X509Certificate2 NewUser(string name) => Own(Users.NewCertificate(name));

    public T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        await Node.DisposeAsync();
        Admin.Dispose();
        _folder.Dispose();
    }
}
