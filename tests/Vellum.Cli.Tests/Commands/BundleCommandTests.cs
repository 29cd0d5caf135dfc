using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Vellum.Cli.Tests.Support;
using Vellum.Core;
using Vellum.Node;

namespace Vellum.Cli.Tests.Commands;

/// <summary><c>vellum export</c> and <c>vellum verify-bundle</c> against a real node in this process: what is chosen is disclosed, and proven.</summary>
public sealed class BundleCommandTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _files = new();
    private VellumNode _node = null!;

    private string Admin(string file) => Path.Combine(_node.DataDirectory, $"user_admin_{file}.pem");

    private string[] Connection => ["--target", $"127.0.0.1:{_node.Endpoint.Port}", "--service-cert", _node.ServiceCertificatePath, "--cert", Admin("cert"), "--key", Admin("key")];

    public async Task InitializeAsync() => _node = await VellumNode.StartAsync(new NodeOptions
    {
        DataDirectory = Path.Combine(_files.Path, "data"),
        Listen = new IPEndPoint(IPAddress.Loopback, 0),
        PeerListen = new IPEndPoint(IPAddress.Loopback, Loopback.FreePort()),
    });

    public async Task DisposeAsync() => await _node.DisposeAsync();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task AnExportedBundleVerifiesOfflineAndDisclosesOnlyTheChosenEntries()
    {
        var first = await WriteAsync("the first entry");
        await WriteAsync("an entry nobody chose");
        var third = await WriteAsync("the third entry");
        var bundle = Path.Combine(_files.Path, "bundle.json");

        var export = await CliResult.RunAsync(["export", .. Connection, "--tx", first.ToString(), "--tx", third.ToString(), "--out", bundle]);
        Assert.True(export.ExitCode == ExitCodes.Success, export.ToString());
        await _node.DisposeAsync();
        var verify = await CliResult.RunAsync("verify-bundle", bundle, "--service-cert", _node.ServiceCertificatePath);

        Assert.True(verify.ExitCode == ExitCodes.Success, verify.ToString());
        Assert.Contains("2 of 2 transaction(s) valid", verify.Output, StringComparison.Ordinal);
        Assert.Contains($"valid   {first}  subledger:0  \"the first entry\"", verify.Output, StringComparison.Ordinal);
        Assert.Contains($"valid   {third}  subledger:0  \"the third entry\"", verify.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody chose", await File.ReadAllTextAsync(bundle), StringComparison.Ordinal);

        var json = await CliResult.RunAsync("verify-bundle", bundle, "--service-cert", _node.ServiceCertificatePath, "--json");
        using var report = JsonDocument.Parse(json.Output);
        Assert.True(report.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(["the first entry", "the third entry"], report.RootElement.GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("contents").GetString()));
    }

    [Fact]
    public async Task ABundleWhoseContentsWereChangedOrCheckedAgainstAnotherServiceIsInvalid()
    {
        var id = await WriteAsync("pay 100 to Alice");
        var bundle = Path.Combine(_files.Path, "bundle.json");
        var export = await CliResult.RunAsync(["export", .. Connection, "--tx", id.ToString(), "--out", bundle]);
        Assert.True(export.ExitCode == ExitCodes.Success, export.ToString());

        var altered = Path.Combine(_files.Path, "altered.json");
        await File.WriteAllTextAsync(altered, (await File.ReadAllTextAsync(bundle)).Replace("pay 100 to Alice", "pay 900 to Alice", StringComparison.Ordinal));
        var otherService = Path.Combine(_files.Path, "other_service.pem");
        using (var other = Core.Identity.ServiceIdentity.Create(new Core.Identity.ServiceCertificateOptions { NotBefore = DateTimeOffset.UtcNow.AddMinutes(-1), Validity = TimeSpan.FromDays(1) }))
        {
            await File.WriteAllTextAsync(otherService, other.CertificatePem);
        }

        var withoutClaims = Path.Combine(_files.Path, "without-claims.json");
        var stripped = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(bundle))!;
        Assert.True(stripped["transactions"]![0]!.AsObject().Remove("applicationClaims"));
        await File.WriteAllTextAsync(withoutClaims, stripped.ToJsonString());

        var changed = await CliResult.RunAsync("verify-bundle", altered, "--service-cert", _node.ServiceCertificatePath);
        var hidden = await CliResult.RunAsync("verify-bundle", withoutClaims, "--service-cert", _node.ServiceCertificatePath);
        var foreign = await CliResult.RunAsync("verify-bundle", bundle, "--service-cert", otherService);
        var missing = await CliResult.RunAsync(["export", .. Connection, "--tx", "9.99999", "--out", Path.Combine(_files.Path, "none.json")]);

        Assert.True(changed.ExitCode == ExitCodes.Failure, changed.ToString());
        Assert.Contains($"INVALID {id}", changed.Output, StringComparison.Ordinal);
        Assert.Contains("invalid: transaction", changed.Error, StringComparison.Ordinal);
        Assert.True(hidden.ExitCode == ExitCodes.Failure, hidden.ToString());
        Assert.Contains($"INVALID {id}", hidden.Output, StringComparison.Ordinal);
        Assert.Contains("leaves out what the entry says", hidden.Output + hidden.Error, StringComparison.Ordinal);
        Assert.True(foreign.ExitCode == ExitCodes.Failure, foreign.ToString());
        Assert.True(missing.ExitCode == ExitCodes.Failure, missing.ToString());
        Assert.False(File.Exists(Path.Combine(_files.Path, "none.json")));
    }

    private async Task<TransactionId> WriteAsync(string contents)
    {
        var service = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_node.ServiceCertificatePath));
        using var admin = X509Certificate2.CreateFromPemFile(Admin("cert"), Admin("key"));
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [admin],
                RemoteCertificateValidationCallback = (_, presented, _, errors) => ReachableAddress.ChainEndsAt(service, presented, errors),
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{_node.Endpoint.Port}") };
        using var body = new StringContent(JsonSerializer.Serialize(new { contents }), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/app/transactions?api-version=2024-08-22-preview&waitForCommit=true", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return TransactionId.Parse(response.Headers.GetValues("x-ms-ccf-transaction-id").Single());
    }
}
