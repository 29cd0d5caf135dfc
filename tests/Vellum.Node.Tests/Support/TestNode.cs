using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Vellum.Node.Tests.Support;

/// <summary>
/// A real node on loopback (Kestrel, TLS 1.3, a free port) over a temporary data folder, with
/// HTTP clients that pin its service certificate the way ACL's .NET client does and present a
/// chosen client certificate or bearer token.
/// </summary>
internal sealed class TestNode : IAsyncDisposable
{
    public const string ApiVersion = "2024-08-22-preview";

    private readonly TemporaryDirectory? _ownedDirectory;
    private readonly Func<NodeOptions, NodeOptions>? _configure;
    private readonly List<HttpClient> _clients = [];

    private TestNode(VellumNode node, string dataDirectory, TemporaryDirectory? ownedDirectory, Func<NodeOptions, NodeOptions>? configure)
    {
        Node = node;
        DataDirectory = dataDirectory;
        _ownedDirectory = ownedDirectory;
        _configure = configure;
        Admin = X509Certificate2.CreateFromPemFile(Path.Combine(dataDirectory, "user_admin_cert.pem"), Path.Combine(dataDirectory, "user_admin_key.pem"));
        ServiceCertificate = X509Certificate2.CreateFromPem(node.ServiceCertificatePem);
    }

    public VellumNode Node { get; private set; }

    public string DataDirectory { get; }

    public X509Certificate2 Admin { get; }

    public X509Certificate2 ServiceCertificate { get; }

    public Uri BaseAddress => Node.BaseAddress;

    public static async Task<TestNode> StartAsync(Func<NodeOptions, NodeOptions>? configure = null, string? dataDirectory = null)
    {
        var owned = dataDirectory is null ? new TemporaryDirectory() : null;
        var directory = dataDirectory ?? Path.Combine(owned!.Path, "data");
        var node = await VellumNode.StartAsync(Options(directory, configure));
        return new TestNode(node, directory, owned, configure);
    }

    private static NodeOptions Options(string directory, Func<NodeOptions, NodeOptions>? configure)
    {
        var options = new NodeOptions { DataDirectory = directory, Listen = new IPEndPoint(IPAddress.Loopback, 0) };
        return configure is null ? options : configure(options);
    }

    /// <summary>Stops the node cleanly and starts it again on the same folder.</summary>
    public async Task RestartAsync()
    {
        await Node.DisposeAsync();
        Node = await VellumNode.StartAsync(Options(DataDirectory, _configure));
    }

    /// <summary>A client presenting <paramref name="certificate"/> (none when null) and pinning the service certificate.</summary>
    public HttpClient Client(X509Certificate2? certificate, string? bearerToken = null, SslProtocols protocols = SslProtocols.Tls13)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = protocols,
                ClientCertificates = certificate is null ? null : [certificate],
                RemoteCertificateValidationCallback = (_, presented, _, errors) => ReachableAddress.ChainEndsAt(ServiceCertificate, presented, errors),
            },
        };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        _clients.Add(client);
        return client;
    }

    public HttpClient AdminClient() => Client(Admin);

    /// <summary>The path with the api-version appended.</summary>
    public static string App(string pathAndQuery) => pathAndQuery + (pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "api-version=" + ApiVersion;

    public static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Posts an entry and returns its transaction id.</summary>
    public static async Task<string> AppendAsync(HttpClient client, string contents, string? collectionId = null, bool waitForCommit = false)
    {
        var query = collectionId is null ? "/app/transactions" : $"/app/transactions?collectionId={Uri.EscapeDataString(collectionId)}";
        if (waitForCommit)
        {
            query += query.Contains('?', StringComparison.Ordinal) ? "&waitForCommit=true" : "?waitForCommit=true";
        }

        using var response = await client.PostAsync(App(query), Json(JsonSerializer.Serialize(new { contents })));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("x-ms-ccf-transaction-id").Single();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Node.DisposeAsync();
        Admin.Dispose();
        ServiceCertificate.Dispose();
        _ownedDirectory?.Dispose();
    }
}
