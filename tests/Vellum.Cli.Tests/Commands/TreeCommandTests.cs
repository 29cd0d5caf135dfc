using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Vellum.Cli.Tests.Support;
using Vellum.Core.TreeHeads;
using Vellum.Node;
using Vellum.Node.Replication;

namespace Vellum.Cli.Tests.Commands;

/// <summary><c>vellum monitor</c> and <c>vellum verify-consistency</c> against real nodes in this process.</summary>
public sealed class TreeCommandTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _files = new();
    private readonly List<VellumNode> _nodes = [];
    private VellumNode _node = null!;

    private string ServiceCert => _node.ServiceCertificatePath;

    private string State => Path.Combine(_files.Path, "monitor-state.json");

    public async Task InitializeAsync()
    {
        _node = await StartAsync("ledger");
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    // xUnit disposes after DisposeAsync, once the nodes have released their folders.
    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task MonitorOnceRemembersTheFirstHeadThenPassesAcrossNewWritesAndWhenNothingChanged()
    {
        await AppendAsync(_node, "first");

        var first = await MonitorAsync(_node);
        var remembered = SignedTreeHead.Parse(await File.ReadAllTextAsync(State));
        await AppendAsync(_node, "second");
        await AppendAsync(_node, "third");
        var second = await MonitorAsync(_node);
        var grown = SignedTreeHead.Parse(await File.ReadAllTextAsync(State));
        var third = await MonitorAsync(_node);

        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        Assert.Contains("remembered the first head", first.Output, StringComparison.Ordinal);
        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        Assert.Contains("consistently", second.Output, StringComparison.Ordinal);
        Assert.True(grown.TreeSize > remembered.TreeSize);
        Assert.True(TreeHeadVerifier.Verify(grown, _node.ServiceCertificatePem).IsValid);
        Assert.True(third.ExitCode == ExitCodes.Success, third.ToString());
        Assert.Contains("unchanged", third.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ALERT", first.Error + second.Error + third.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MonitorAlertsWhenTheRememberedHeadHasAnotherRootAndLeavesTheStateAlone(bool ledgerGrew)
    {
        await AppendAsync(_node, "first");
        Assert.Equal(ExitCodes.Success, (await MonitorAsync(_node)).ExitCode);
        var real = SignedTreeHead.Parse(await File.ReadAllTextAsync(State));
        var forgedRoot = Core.Sha256Hash.Of(Encoding.UTF8.GetBytes("another history"));
        var forged = new SignedTreeHead(real.TransactionId, forgedRoot, real.Signature, real.Cert, real.NodeId).ToJson();
        await File.WriteAllTextAsync(State, forged);
        if (ledgerGrew)
        {
            await AppendAsync(_node, "second");
        }

        var result = await MonitorAsync(_node);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("ALERT", result.Error, StringComparison.Ordinal);
        Assert.Contains("different root", result.Error, StringComparison.Ordinal);
        Assert.Contains(forgedRoot.ToHex(), result.Error, StringComparison.Ordinal);
        Assert.Equal(forged, await File.ReadAllTextAsync(State));
    }

    [Fact]
    public async Task MonitorAlertsWhenAnotherLedgerOfTheSameServiceIdentityDepartsFromTheRememberedOne()
    {
        await AppendAsync(_node, "shared history");
        var original = _node;
        var folder = Path.Combine(_files.Path, "ledger");
        await original.DisposeAsync();
        _nodes.Remove(original);
        CopyFolder(folder, Path.Combine(_files.Path, "copy"));
        _node = await StartAsync("ledger");
        var copy = await StartAsync("copy");
        await AppendAsync(_node, "the real future");
        await AppendAsync(copy, "another future");
        await AppendAsync(copy, "and more of it");
        Assert.Equal(_node.ServiceCertificatePem, copy.ServiceCertificatePem);
        Assert.Equal(ExitCodes.Success, (await MonitorAsync(_node)).ExitCode);

        var result = await MonitorAsync(copy);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("ALERT", result.Error, StringComparison.Ordinal);
        Assert.Contains("remembered head: tree size", result.Error, StringComparison.Ordinal);
        Assert.Contains("node's head:     tree size", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitorWithoutOnceKeepsCheckingUntilCancelledAndThenExitsCleanly()
    {
        await AppendAsync(_node, "first");
        using var stop = new CancellationTokenSource();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var running = Program.RunAsync(
            ["monitor", "--target", $"127.0.0.1:{_node.Endpoint.Port}", "--service-cert", ServiceCert, "--cert", _node.CreatedAdministrator!.Value.Certificate,
                "--key", _node.CreatedAdministrator!.Value.Key, "--state", State, "--interval-s", "1"],
            output,
            error,
            stop.Token);
        await Loopback.WaitUntilAsync(() => Task.FromResult(File.Exists(State)), "the monitor to remember a head");
        Assert.False(running.IsCompleted);

        await stop.CancelAsync();
        var exitCode = await running;

        Assert.True(exitCode == ExitCodes.Success, $"exit {exitCode}\n{output}\n{error}");
        Assert.Contains("remembered the first head", output.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("monitor stopped", output.ToString().TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonitorRefusesAStateFileThatIsNotAHeadWithoutOverwritingIt()
    {
        await File.WriteAllTextAsync(State, "{\"not\":\"a head\"}");

        var result = await MonitorAsync(_node);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("does not hold a signed tree head", result.Error, StringComparison.Ordinal);
        Assert.Equal("{\"not\":\"a head\"}", await File.ReadAllTextAsync(State));
    }

    [Fact]
    public async Task VerifyConsistencyOnlineIsValidBetweenTwoSignedHeads()
    {
        await AppendAsync(_node, "first");
        var earlier = await HeadAsync(_node);
        await AppendAsync(_node, "second");
        var later = await HeadAsync(_node);

        var result = await CliResult.RunAsync([.. Online(_node), "--from", $"{earlier.TreeSize}", "--to", $"{later.TreeSize}"]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal("valid", result.OutputLines[0]);
        Assert.Contains($"tree size {earlier.TreeSize}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyConsistencyOnlineReportsASizeThatIsNotASignedHead()
    {
        var written = await AppendAsync(_node, "first");
        var later = await HeadAsync(_node);

        var result = await CliResult.RunAsync([.. Online(_node), "--from", $"{written.Seqno}", "--to", $"{later.TreeSize}"]);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("TreeHeadNotFound", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyConsistencyOfflineIsValidForSavedFilesAndInvalidWhenTheProofIsTamperedOrTheServiceIsAnother()
    {
        await AppendAsync(_node, "first");
        var earlier = await HeadAsync(_node);
        for (var i = 0; i < 4; i++)
        {
            await AppendAsync(_node, $"more {i}");
        }

        var later = await HeadAsync(_node);
        var proofJson = await GetAsync(_node, $"/app/tree/consistency?from={earlier.TreeSize}&to={later.TreeSize}");
        var fromFile = _files.Write("from.json", earlier.ToJson());
        var toFile = _files.Write("to.json", later.ToJson());
        var proofFile = _files.Write("proof.json", proofJson);
        var consistency = TreeConsistency.Parse(proofJson);
        var tampered = new TreeConsistency(consistency.From, consistency.To, [Core.Sha256Hash.Of(consistency.Proof[0].Bytes), .. consistency.Proof.Skip(1)]);
        var tamperedFile = _files.Write("tampered.json", tampered.ToJson());
        using var otherLedger = new TestLedger();
        var otherService = _files.Write("other_service.pem", otherLedger.Service.CertificatePem);

        var valid = await CliResult.RunAsync("verify-consistency", "--service-cert", ServiceCert, "--from-head", fromFile, "--to-head", toFile, "--proof", proofFile);
        var badProof = await CliResult.RunAsync("verify-consistency", "--service-cert", ServiceCert, "--from-head", fromFile, "--to-head", toFile, "--proof", tamperedFile);
        var swapped = await CliResult.RunAsync("verify-consistency", "--service-cert", ServiceCert, "--from-head", toFile, "--to-head", fromFile, "--proof", proofFile);
        var wrongService = await CliResult.RunAsync("verify-consistency", "--service-cert", otherService, "--from-head", fromFile, "--to-head", toFile, "--proof", proofFile);

        Assert.True(valid.ExitCode == ExitCodes.Success, valid.ToString());
        Assert.Equal("valid", valid.OutputLines[0]);
        Assert.True(badProof.ExitCode == ExitCodes.Failure, badProof.ToString());
        Assert.StartsWith("invalid:", badProof.Error, StringComparison.Ordinal);
        Assert.Contains("Consistency check", badProof.Error, StringComparison.Ordinal);
        Assert.True(swapped.ExitCode == ExitCodes.Failure, swapped.ToString());
        Assert.True(wrongService.ExitCode == ExitCodes.Failure, wrongService.ToString());
        Assert.Contains("Endorsements check", wrongService.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--from-head", "a.json", "--to-head", "b.json", "--proof", "c.json", "--from", "1")]
    [InlineData("--from-head", "a.json", "--to-head", "b.json")]
    [InlineData("--target", "127.0.0.1:1", "--from", "1", "--to", "2")]
    [InlineData("--target", "127.0.0.1:1", "--cert", "c.pem", "--key", "k.pem", "--from", "1", "--to", "2", "--proof", "c.json")]
    public async Task VerifyConsistencyRefusesAMixOfTheOnlineAndOfflineForms(params string[] args)
    {
        var result = await CliResult.RunAsync(["verify-consistency", "--service-cert", ServiceCert, .. args]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }

    private string[] Online(VellumNode node) =>
        ["verify-consistency", "--target", $"127.0.0.1:{node.Endpoint.Port}", "--service-cert", ServiceCert, "--cert", node.CreatedAdministrator!.Value.Certificate, "--key", node.CreatedAdministrator!.Value.Key];

    private Task<CliResult> MonitorAsync(VellumNode node) => CliResult.RunAsync(
        "monitor", "--target", $"127.0.0.1:{node.Endpoint.Port}", "--service-cert", ServiceCert,
        "--cert", _node.CreatedAdministrator!.Value.Certificate, "--key", _node.CreatedAdministrator!.Value.Key, "--state", State, "--once");

    private async Task<VellumNode> StartAsync(string name)
    {
        var node = await VellumNode.StartAsync(new NodeOptions
        {
            DataDirectory = Path.Combine(_files.Path, name),
            Listen = new IPEndPoint(IPAddress.Loopback, Loopback.FreePort()),
            PeerListen = new IPEndPoint(IPAddress.Loopback, Loopback.FreePort()),
        });
        _nodes.Add(node);
        return node;
    }

    private static async Task<Core.TransactionId> AppendAsync(VellumNode node, string contents)
    {
        using var client = Client(node);
        using var response = await client.PostAsync(
            "/app/transactions?waitForCommit=true&api-version=2022-05-13",
            new StringContent(JsonSerializer.Serialize(new { contents }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Core.TransactionId.Parse(response.Headers.GetValues("x-ms-ccf-transaction-id").Single());
    }

    private static async Task<SignedTreeHead> HeadAsync(VellumNode node) => SignedTreeHead.Parse(await GetAsync(node, "/app/tree/head"));

    private static async Task<string> GetAsync(VellumNode node, string pathAndQuery)
    {
        using var client = Client(node);
        using var response = await client.GetAsync($"{pathAndQuery}{(pathAndQuery.Contains('?', StringComparison.Ordinal) ? '&' : '?')}api-version=2022-05-13");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return body;
    }

    private static HttpClient Client(VellumNode node)
    {
        var service = X509Certificate2.CreateFromPem(node.ServiceCertificatePem);
        var (certificatePath, keyPath) = node.CreatedAdministrator!.Value;
        var administrator = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = [X509CertificateLoader.LoadPkcs12(administrator.Export(X509ContentType.Pkcs12), null)],
                RemoteCertificateValidationCallback = (_, presented, _, errors) => ReachableAddress.ChainEndsAt(service, presented, errors),
            },
        };
        return new HttpClient(handler) { BaseAddress = node.BaseAddress };
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
