using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Vellum.Node;

namespace Vellum.Cli.Tests.Commands;

/// <summary><c>vellum audit</c> of a real node: its data folder once stopped, a private ledger with no key, and a live node over TLS.</summary>
public sealed class AuditNodeTests : IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private string DataDirectory => Path.Combine(_files.Path, "data");

    private string ServiceCertPath => Path.Combine(DataDirectory, "service_cert.pem");

    [Fact]
    public async Task APrivateLedgersFilesAuditWithNoKey()
    {
        await using (var node = await StartAsync(LedgerType.Private))
        {
            await WriteAsync(node, 12);
        }

        // Only the chunk files and the public service certificate leave the node's folder.
        var copy = Path.Combine(_files.Path, "copy");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(DataDirectory, "ledger"), "ledger_*"))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var result = await CliResult.RunAsync("audit", copy, "--service-cert", ServiceCertPath, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        Assert.True(document.RootElement.GetProperty("entries").GetInt64() > 12);
        Assert.True(document.RootElement.GetProperty("chunks").GetInt64() >= 2);
    }

    [Fact]
    public async Task ALiveNodesCommittedChunksAreDownloadedAndAudited()
    {
        await using var node = await StartAsync(LedgerType.Public);
        await WriteAsync(node, 12);

        var result = await CliResult.RunAsync(
            "audit", node.BaseAddress.ToString().TrimEnd('/'), "--service-cert", ServiceCertPath,
            "--cert", Path.Combine(DataDirectory, "user_admin_cert.pem"), "--key", Path.Combine(DataDirectory, "user_admin_key.pem"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        var report = document.RootElement;
        var committedChunks = Directory.EnumerateFiles(Path.Combine(DataDirectory, "ledger"), "*.chunk").Count();
        Assert.Equal(committedChunks, report.GetProperty("chunks").GetInt64());
        var lastChunk = Directory.EnumerateFiles(Path.Combine(DataDirectory, "ledger"), "*.chunk").Max(path => long.Parse(Path.GetFileNameWithoutExtension(path).Split('-')[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(lastChunk, report.GetProperty("entries").GetInt64());
    }

    [Fact]
    public async Task ANodeRefusesAnAuditWithoutACallerCertificate()
    {
        await using var node = await StartAsync(LedgerType.Public);

        var result = await CliResult.RunAsync("audit", node.BaseAddress.ToString(), "--service-cert", ServiceCertPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("answered the chunk listing with 401", result.Error, StringComparison.Ordinal);
    }

    private Task<VellumNode> StartAsync(LedgerType type) =>
        VellumNode.StartAsync(new NodeOptions { DataDirectory = DataDirectory, Listen = new IPEndPoint(IPAddress.Loopback, 0), MaxChunkBytes = 4096, LedgerType = type });

    private async Task WriteAsync(VellumNode node, int count)
    {
        using var service = X509Certificate2.CreateFromPem(node.ServiceCertificatePem);
        using var admin = X509Certificate2.CreateFromPemFile(Path.Combine(DataDirectory, "user_admin_cert.pem"), Path.Combine(DataDirectory, "user_admin_key.pem"));
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [admin],
                RemoteCertificateValidationCallback = (_, presented, _, errors) => ReachableAddress.ChainEndsAt(service, presented, errors),
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = node.BaseAddress };
        for (var i = 0; i < count; i++)
        {
            var wait = i == count - 1 ? "&waitForCommit=true" : string.Empty;
            using var body = new StringContent($"{{\"contents\":\"{new string('x', 1000)}\"}}", Encoding.UTF8, "application/json");
            using var response = await client.PostAsync($"/app/transactions?api-version=2024-08-22-preview{wait}", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
