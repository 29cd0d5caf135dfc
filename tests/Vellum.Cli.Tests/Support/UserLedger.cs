using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Node;

namespace Vellum.Cli.Tests.Support;

/// <summary>
/// A real node in this process (real TLS on a free loopback port) for the user commands, serving
/// two entries per page so that a short listing crosses pages, and the command-line flags that
/// reach it as its initial Administrator.
/// </summary>
public sealed class UserLedger : IAsyncLifetime, IDisposable
{
    public const int PageSize = 2;

    private VellumNode? _node;

    internal TempDirectory Files { get; } = new();

    public VellumNode Node => _node ?? throw new InvalidOperationException("The node is not started.");

    public string Target => $"127.0.0.1:{Node.Endpoint.Port}";

    public string ServiceCert => Node.ServiceCertificatePath;

    public string AdminCert => Path.Combine(Node.DataDirectory, "user_admin_cert.pem");

    public string AdminKey => Path.Combine(Node.DataDirectory, "user_admin_key.pem");

    /// <summary>
    /// The flags that reach the node as the Administrator, with a profile file that does not exist,
    /// so that the tester's own ~/.vellum/profiles.json can never fill in anything.
    /// </summary>
    public string[] AsAdmin => ["--target", Target, "--service-cert", ServiceCert, "--cert", AdminCert, "--key", AdminKey, "--profile-file", NoProfiles];

    public string NoProfiles => Files.Missing("no-profiles.json");

    public async Task InitializeAsync() => _node = await VellumNode.StartAsync(new NodeOptions
    {
        DataDirectory = Path.Combine(Files.Path, "data"),
        Listen = new IPEndPoint(IPAddress.Loopback, 0),
        PeerListen = new IPEndPoint(IPAddress.Loopback, Loopback.FreePort()),
        MaxEntriesPerPage = PageSize,
    });

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    public void Dispose() => Files.Dispose();

    /// <summary>Runs <c>vellum</c> with <paramref name="args"/> followed by the Administrator's connection flags.</summary>
    internal Task<CliResult> RunAsAdminAsync(params string[] args) => CliResult.RunAsync([.. args, .. AsAdmin]);

    /// <summary>A new user's certificate and key written as PEM files; returns their paths and the user id the ledger knows it by.</summary>
    public (string Cert, string Key, string UserId) NewUserFiles(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Files.Write($"{name}_cert.pem", certificate.ExportCertificatePem());
        var keyPath = Files.Write($"{name}_key.pem", key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath, Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)));
    }

    /// <summary>Parses a successful command's <c>--json</c> output, failing with the whole run when it did not succeed.</summary>
    internal static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }
}
