using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Cli.Tests.Support;
using Vellum.Node;
using Vellum.Node.Cluster;
using Vellum.Node.Replication;

namespace Vellum.Cli.Tests.Commands;

/// <summary><c>vellum cluster members</c> and <c>vellum cluster retire</c>: their command lines, and their calls to real nodes in this process.</summary>
public sealed class ClusterMembershipCommandTests : IAsyncLifetime, IDisposable
{
    private static readonly ReplicaOptions FastReplica = new()
    {
        TickInterval = TimeSpan.FromMilliseconds(10),
        Raft = new Consensus.RaftOptions { ElectionTimeoutTicks = 30, HeartbeatIntervalTicks = 3, RetransmitTicks = 6 },
    };

    private static readonly string UnknownNodeId = new('a', 64);

    private readonly TempDirectory _files = new();
    private VellumNode _founder = null!;
    private X509Certificate2 _service = null!;

    private string ServiceCert => _founder.ServiceCertificatePath;

    private string AdminCert => _founder.CreatedAdministrator!.Value.Certificate;

    private string AdminKey => _founder.CreatedAdministrator!.Value.Key;

    private static string Target(VellumNode node) => $"127.0.0.1:{node.Endpoint.Port}";

    public async Task InitializeAsync()
    {
        _founder = await VellumNode.StartAsync(Options("founder"));
        _service = X509Certificate2.CreateFromPem(_founder.ServiceCertificatePem);
    }

    public async Task DisposeAsync()
    {
        await _founder.DisposeAsync();
        _service.Dispose();
    }

    // xUnit disposes after DisposeAsync, once the nodes have released the folder.
    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task UpIsStillASubcommandOfCluster()
    {
        var result = await CliResult.RunAsync("cluster", "up", "--nodes", "0");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--nodes must be 1 to 15", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("retire", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--cert", "c.pem", "--key", "k.pem")]
    [InlineData("retire", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--node-id", "00")]
    [InlineData("retire", "--service-cert", "s.pem", "--cert", "c.pem", "--key", "k.pem", "--node-id", "00")]
    [InlineData("members", "--target", "127.0.0.1:1")]
    [InlineData("members", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--unknown")]
    public async Task AMissingOrUnknownOptionIsAUsageError(params string[] args)
    {
        var result = await CliResult.RunAsync(["cluster", .. args]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }

    [Theory]
    [InlineData("abc", "--node-id must be 64 hex digits")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000", "--node-id must be 64 hex digits")]
    public async Task AMalformedNodeIdIsAUsageErrorThatSaysWhatAnIdIs(string nodeId, string message)
    {
        var result = await CliResult.RunAsync("cluster", "retire", "--target", Target(_founder), "--service-cert", ServiceCert, "--cert", AdminCert, "--key", AdminKey, "--node-id", nodeId);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-port", "--target must be HOST:PORT")]
    [InlineData("127.0.0.1:99999", "--target must be HOST:PORT")]
    public async Task ATargetThatIsNotHostAndPortIsAUsageError(string target, string message)
    {
        var result = await CliResult.RunAsync("cluster", "members", "--target", target, "--service-cert", ServiceCert);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACertificateWithoutItsKeyIsAUsageError()
    {
        var result = await CliResult.RunAsync("cluster", "members", "--target", Target(_founder), "--service-cert", ServiceCert, "--cert", AdminCert);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("--cert and --key go together", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceCertificateThatCannotBeReadFailsNamingTheFile()
    {
        var missing = _files.Missing("nowhere.pem");

        var result = await CliResult.RunAsync("cluster", "members", "--target", Target(_founder), "--service-cert", missing);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains(missing, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANodeWhoseCertificateDoesNotChainToTheServiceCertificateIsNotTrusted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=another service", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var otherPem = _files.Write("other_service.pem", other.ExportCertificatePem());

        var result = await CliResult.RunAsync("cluster", "members", "--target", Target(_founder), "--service-cert", otherPem);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("cannot ask", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MembersListsALoneFounderAsTheVoterAndPrimaryWithOrWithoutACaller()
    {
        var founderId = await NodeIdAsync(_founder);

        var anonymous = await CliResult.RunAsync("cluster", "members", "--target", Target(_founder), "--service-cert", ServiceCert);
        var asAdministrator = await CliResult.RunAsync("cluster", "members", "--target", Target(_founder), "--service-cert", ServiceCert, "--cert", AdminCert, "--key", AdminKey);

        foreach (var result in new[] { anonymous, asAdministrator })
        {
            Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
            var line = Assert.Single(result.OutputLines, line => line.StartsWith(founderId, StringComparison.Ordinal));
            Assert.Contains("voter", line, StringComparison.Ordinal);
            Assert.Contains("primary", line, StringComparison.Ordinal);
            Assert.Contains($"api {Target(_founder)}", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RetireReportsTheNodesRefusalsAndFailsOnThem()
    {
        var lastVoter = await CliResult.RunAsync("cluster", "retire", "--target", Target(_founder), "--service-cert", ServiceCert, "--cert", AdminCert, "--key", AdminKey, "--node-id", await NodeIdAsync(_founder));
        var unknown = await CliResult.RunAsync("cluster", "retire", "--target", Target(_founder), "--service-cert", ServiceCert, "--cert", AdminCert, "--key", AdminKey, "--node-id", UnknownNodeId);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var strangerCertificate = new CertificateRequest("CN=not an administrator", stranger, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var strangerCert = _files.Write("stranger_cert.pem", strangerCertificate.ExportCertificatePem());
        var strangerKey = _files.Write("stranger_key.pem", stranger.ExportPkcs8PrivateKeyPem());
        var forbidden = await CliResult.RunAsync("cluster", "retire", "--target", Target(_founder), "--service-cert", ServiceCert, "--cert", strangerCert, "--key", strangerKey, "--node-id", UnknownNodeId);

        Assert.True(lastVoter.ExitCode == ExitCodes.Failure, lastVoter.ToString());
        Assert.Contains("(409): LastVoter", lastVoter.Error, StringComparison.Ordinal);
        Assert.True(unknown.ExitCode == ExitCodes.Failure, unknown.ToString());
        Assert.Contains("(404): NodeNotFound", unknown.Error, StringComparison.Ordinal);
        Assert.True(forbidden.ExitCode == ExitCodes.Failure, forbidden.ToString());
        Assert.Contains("(403): Forbidden", forbidden.Error, StringComparison.Ordinal);
        Assert.False(_founder.IsRetired);
    }

    [Fact]
    public async Task RetireSentToABackupFollowsItsRedirectAndTheBackupEndsRetired()
    {
        await using var joined = await JoinAsync("joined");
        var joinedId = await NodeIdAsync(joined);
        await Loopback.WaitUntilAsync(async () => (await MembersAsync(_founder)).Count(member => member.GetProperty("role").GetString() == "voter") == 2, "the joined node to become a voter");

        var result = await CliResult.RunAsync("cluster", "retire", "--target", Target(joined), "--service-cert", ServiceCert, "--cert", AdminCert, "--key", AdminKey, "--node-id", joinedId.ToUpperInvariant());

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"Node {joinedId} is retired: the primary at {Target(_founder)} committed its removal", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(await MembersAsync(_founder), member => member.GetProperty("nodeId").GetString() == joinedId);
        await Loopback.WaitUntilAsync(() => Task.FromResult(joined.IsRetired), "the joined node to learn it was retired");
        var members = await CliResult.RunAsync("cluster", "members", "--target", Target(joined), "--service-cert", ServiceCert);
        Assert.True(members.ExitCode == ExitCodes.Success, members.ToString());
        Assert.Contains("1 member(s)", members.Output, StringComparison.Ordinal);
    }

    private async Task<VellumNode> JoinAsync(string name)
    {
        var options = Options(name);
        await NodeJoiner.JoinAsync(JoinOptions.For(options, Target(_founder), _service));
        return await VellumNode.StartAsync(options);
    }

    private NodeOptions Options(string name) => new()
    {
        DataDirectory = Path.Combine(_files.Path, name),
        Listen = new IPEndPoint(IPAddress.Loopback, Loopback.FreePort()),
        PeerListen = new IPEndPoint(IPAddress.Loopback, Loopback.FreePort()),
        Replica = FastReplica,
    };

    private async Task<string> NodeIdAsync(VellumNode node)
    {
        using var client = Client(node);
        using var state = JsonDocument.Parse(await client.GetStringAsync("/node/state"));
        return state.RootElement.GetProperty("nodeId").GetString()!;
    }

    private async Task<List<JsonElement>> MembersAsync(VellumNode node)
    {
        using var client = Client(node);
        using var members = JsonDocument.Parse(await client.GetStringAsync("/node/members"));
        return [.. members.RootElement.GetProperty("members").EnumerateArray().Select(member => member.Clone())];
    }

    private HttpClient Client(VellumNode node)
    {
        var service = _service;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, presented, _, errors) => ReachableAddress.ChainEndsAt(service, presented, errors),
            },
        };
        return new HttpClient(handler) { BaseAddress = node.BaseAddress };
    }
}
