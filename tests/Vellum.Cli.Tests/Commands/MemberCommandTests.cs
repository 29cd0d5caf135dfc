using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vellum.Cli.Tests.Support;
using Vellum.Node;
using Vellum.Node.Cluster;
using Vellum.Node.Replication;

namespace Vellum.Cli.Tests.Commands;

/// <summary><c>vellum member ...</c>: their command lines, and their calls to a real node's <c>/gov</c> endpoints in this process.</summary>
public sealed partial class MemberCommandTests : IAsyncLifetime, IDisposable
{
    private const string SomeProposalId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly ReplicaOptions FastReplica = new()
    {
        TickInterval = TimeSpan.FromMilliseconds(10),
        Raft = new Consensus.RaftOptions { ElectionTimeoutTicks = 30, HeartbeatIntervalTicks = 3, RetransmitTicks = 6 },
    };

    private readonly TempDirectory _files = new();
    private VellumNode _founder = null!;

    private string ServiceCert => _founder.ServiceCertificatePath;

    private string FirstCert => Path.Combine(_founder.DataDirectory, "member0_cert.pem");

    private string FirstKey => Path.Combine(_founder.DataDirectory, "member0_key.pem");

    private static string Target(VellumNode node) => $"127.0.0.1:{node.Endpoint.Port}";

    public async Task InitializeAsync() => _founder = await VellumNode.StartAsync(Options("founder"));

    public async Task DisposeAsync() => await _founder.DisposeAsync();

    // xUnit disposes after DisposeAsync, once the node has released the folder.
    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("list")]
    [InlineData("list", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--unknown")]
    [InlineData("propose", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--cert", "c.pem", "--key", "k.pem")]
    [InlineData("propose", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--cert", "c.pem", "--key", "k.pem", "--proposal", "p.json", "--action", "set_member")]
    [InlineData("propose", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--cert", "c.pem", "--key", "k.pem", "--proposal", "p.json", "--arg", "a=1")]
    [InlineData("propose", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--cert", "c.pem", "--key", "k.pem", "--action", "set_member", "--arg", "novalue")]
    [InlineData("propose", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--cert", "c.pem", "--key", "k.pem", "--action", "set_member", "--arg", "a=1", "--arg", "a=2")]
    [InlineData("propose", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--action", "set_member")]
    [InlineData("vote", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--cert", "c.pem", "--key", "k.pem", "--proposal-id", SomeProposalId)]
    [InlineData("vote", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--cert", "c.pem", "--key", "k.pem", "--proposal-id", SomeProposalId, "--accept", "--reject")]
    [InlineData("vote", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--cert", "c.pem", "--key", "k.pem", "--proposal-id", "abc", "--accept")]
    [InlineData("vote", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--cert", "c.pem", "--key", "k.pem", "--accept")]
    [InlineData("withdraw", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--proposal-id", SomeProposalId)]
    [InlineData("proposals", "--target", "127.0.0.1:1", "--service-cert", "s.pem", "--proposal-id", "not-an-id")]
    [InlineData("proposals", "--target", "no-port", "--service-cert", "s.pem")]
    public async Task AMissingConflictingOrMalformedOptionIsAUsageError(params string[] args)
    {
        var result = await CliResult.RunAsync(["member", .. args]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
    }

    [Fact]
    public async Task AnArgumentFileOrProposalFileThatCannotBeUsedFailsNamingIt()
    {
        var missing = _files.Missing("nowhere.pem");
        var notJson = _files.Write("proposal.json", "{\"actions\": [");

        var argument = await Member("propose", "--target", Target(_founder), "--service-cert", ServiceCert, "--cert", FirstCert, "--key", FirstKey, "--action", "set_member", "--arg", $"cert=@{missing}");
        var proposal = await Member("propose", "--target", Target(_founder), "--service-cert", ServiceCert, "--cert", FirstCert, "--key", FirstKey, "--proposal", notJson);

        Assert.True(argument.ExitCode == ExitCodes.Failure, argument.ToString());
        Assert.Contains(missing, argument.Error, StringComparison.Ordinal);
        Assert.True(proposal.ExitCode == ExitCodes.Failure, proposal.ToString());
        Assert.Contains("is not JSON", proposal.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewLedgerListsItsFirstMemberAndNoProposals()
    {
        var list = await Member("list", "--target", Target(_founder), "--service-cert", ServiceCert);
        var proposals = await Member("proposals", "--target", Target(_founder), "--service-cert", ServiceCert);

        Assert.True(list.ExitCode == ExitCodes.Success, list.ToString());
        Assert.Contains("1 member(s), recovery threshold 1", list.Output, StringComparison.Ordinal);
        Assert.Single(list.OutputLines, line => line.StartsWith(MemberId(File.ReadAllText(FirstCert)), StringComparison.Ordinal));
        Assert.True(proposals.ExitCode == ExitCodes.Success, proposals.ToString());
        Assert.Contains("0 proposal(s)", proposals.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFirstMemberAddsASecondByProposingAndVoting()
    {
        var second = NewMember("second");

        var propose = await AsFirst("propose", "--action", "set_member", "--arg", $"cert=@{second.Cert}", "--arg", $"encryption_pub_key=@{second.EncryptionKey}");
        var id = ProposalIdIn(propose, "Open");
        var vote = await AsFirst("vote", "--proposal-id", id, "--accept");
        var list = await Member("list", "--target", Target(_founder), "--service-cert", ServiceCert);

        Assert.True(vote.ExitCode == ExitCodes.Success, vote.ToString());
        Assert.Contains($"Proposal {id}: Accepted", vote.Output, StringComparison.Ordinal);
        Assert.True(list.ExitCode == ExitCodes.Success, list.ToString());
        Assert.Contains("2 member(s)", list.Output, StringComparison.Ordinal);
        var line = Assert.Single(list.OutputLines, line => line.StartsWith(second.Id, StringComparison.Ordinal));
        Assert.Contains("CN=second", line, StringComparison.Ordinal);
        Assert.Contains("holds a recovery share", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTwoMembersAProposalStaysOpenAfterOneBallotAndIsAcceptedAfterTheSecond()
    {
        var second = await AddMemberAsync("second");

        // A whole number for recovery_threshold is sent as a JSON number; the server refuses a string there.
        var id = ProposalIdIn(await AsFirst("propose", "--action", "set_recovery_threshold", "--arg", "recovery_threshold=1"), "Open");
        var firstBallot = await AsFirst("vote", "--proposal-id", id, "--accept");
        var secondBallot = await As(second, "vote", "--proposal-id", id.ToUpperInvariant(), "--accept");
        var shown = await Member("proposals", "--target", Target(_founder), "--service-cert", ServiceCert, "--proposal-id", id);
        var listed = await Member("proposals", "--target", Target(_founder), "--service-cert", ServiceCert);

        Assert.True(firstBallot.ExitCode == ExitCodes.Success, firstBallot.ToString());
        Assert.Contains($"Proposal {id}: Open", firstBallot.Output, StringComparison.Ordinal);
        Assert.True(secondBallot.ExitCode == ExitCodes.Success, secondBallot.ToString());
        Assert.Contains($"Proposal {id}: Accepted", secondBallot.Output, StringComparison.Ordinal);
        Assert.True(shown.ExitCode == ExitCodes.Success, shown.ToString());
        Assert.Contains($"ballot {MemberId(File.ReadAllText(FirstCert))}: accept", shown.Output, StringComparison.Ordinal);
        Assert.Contains($"ballot {second.Id}: accept", shown.Output, StringComparison.Ordinal);
        Assert.Contains("action set_recovery_threshold recovery_threshold=1", shown.Output, StringComparison.Ordinal);
        Assert.Contains("2 proposal(s)", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTwoMembersOneRejectionRejectsAProposalAndASecondBallotIsRefused()
    {
        var second = await AddMemberAsync("second");
        var id = ProposalIdIn(await AsFirst("propose", "--action", "remove_member", "--arg", $"member_id={second.Id}"), "Open");

        var rejection = await As(second, "vote", "--proposal-id", id, "--reject");
        var late = await AsFirst("vote", "--proposal-id", id, "--accept");

        Assert.True(rejection.ExitCode == ExitCodes.Success, rejection.ToString());
        Assert.Contains($"Proposal {id}: Rejected", rejection.Output, StringComparison.Ordinal);
        Assert.True(late.ExitCode == ExitCodes.Failure, late.ToString());
        Assert.Contains("(409): ProposalNotOpen", late.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANonMembersRequestsAreRefusedWithTheServersCode()
    {
        var stranger = NewMember("stranger");
        var id = ProposalIdIn(await AsFirst("propose", "--action", "set_recovery_threshold", "--arg", "recovery_threshold=1"), "Open");

        var propose = await As(stranger, "propose", "--action", "set_member", "--arg", $"cert=@{stranger.Cert}");
        var vote = await As(stranger, "vote", "--proposal-id", id, "--accept");
        var unknown = await AsFirst("vote", "--proposal-id", SomeProposalId, "--accept");

        Assert.True(propose.ExitCode == ExitCodes.Failure, propose.ToString());
        Assert.Contains("(403): NotAMember", propose.Error, StringComparison.Ordinal);
        Assert.True(vote.ExitCode == ExitCodes.Failure, vote.ToString());
        Assert.Contains("(403): NotAMember", vote.Error, StringComparison.Ordinal);
        Assert.True(unknown.ExitCode == ExitCodes.Failure, unknown.ToString());
        Assert.Contains("(404): ProposalNotFound", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMalformedProposalFromAFileIsRefusedAsInvalid()
    {
        var file = _files.Write("threshold.json", "{\"actions\":[{\"name\":\"set_recovery_threshold\",\"args\":{\"recovery_threshold\":\"1\"}}]}");

        var result = await AsFirst("propose", "--proposal", file);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("(400): ProposalInvalid", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheProposerWithdrawsAnOpenProposalAndItTakesNoBallotsAfterwards()
    {
        var second = await AddMemberAsync("second");
        var file = _files.Write("threshold.json", "{\"actions\":[{\"name\":\"set_recovery_threshold\",\"args\":{\"recovery_threshold\":1}}]}");
        var id = ProposalIdIn(await AsFirst("propose", "--proposal", file), "Open");

        var notTheProposer = await As(second, "withdraw", "--proposal-id", id);
        var withdraw = await AsFirst("withdraw", "--proposal-id", id);
        var vote = await As(second, "vote", "--proposal-id", id, "--accept");

        Assert.True(notTheProposer.ExitCode == ExitCodes.Failure, notTheProposer.ToString());
        Assert.Contains("(403): NotTheProposer", notTheProposer.Error, StringComparison.Ordinal);
        Assert.True(withdraw.ExitCode == ExitCodes.Success, withdraw.ToString());
        Assert.Contains($"Proposal {id}: Withdrawn", withdraw.Output, StringComparison.Ordinal);
        Assert.True(vote.ExitCode == ExitCodes.Failure, vote.ToString());
        Assert.Contains("(409): ProposalNotOpen", vote.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProposalAndBallotSentToABackupFollowTheRedirectToThePrimary()
    {
        await using var backup = await JoinAsync("backup");
        var second = NewMember("second");

        var propose = await Member("propose", "--target", Target(backup), "--service-cert", ServiceCert, "--cert", FirstCert, "--key", FirstKey, "--action", "set_member", "--arg", $"cert=@{second.Cert}");
        var id = ProposalIdIn(propose, "Open");
        var vote = await Member("vote", "--target", Target(backup), "--service-cert", ServiceCert, "--cert", FirstCert, "--key", FirstKey, "--proposal-id", id, "--accept");
        var list = await Member("list", "--target", Target(_founder), "--service-cert", ServiceCert);

        Assert.True(vote.ExitCode == ExitCodes.Success, vote.ToString());
        Assert.Contains($"Proposal {id}: Accepted", vote.Output, StringComparison.Ordinal);
        Assert.Contains("2 member(s)", list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJwtIssuerIsSetWithItsKeySetFileAndRemovedAndBadArgumentsAreRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        var jwks = _files.Write("jwks.json", JsonSerializer.Serialize(new
        {
            keys = new[] { new { kty = "EC", kid = "k1", crv = "P-256", x = Base64Url(point.X!), y = Base64Url(point.Y!) } },
        }));
        const string issuer = "issuer=https://login.example/tenant/v2.0";

        var set = await AsFirst("propose", "--action", "set_jwt_issuer", "--arg", issuer, "--arg", $"jwks=@{jwks}", "--arg", "auto_refresh=false");
        var setId = ProposalIdIn(set, "Open");
        Assert.Contains($"action set_jwt_issuer {issuer} jwks=(JSON object, ", set.Output, StringComparison.Ordinal);
        Assert.Contains("auto_refresh=false", set.Output, StringComparison.Ordinal);
        Assert.Contains($"Proposal {setId}: Accepted", (await AsFirst("vote", "--proposal-id", setId, "--accept")).Output, StringComparison.Ordinal);
        var removeId = ProposalIdIn(await AsFirst("propose", "--action", "remove_jwt_issuer", "--arg", issuer), "Open");
        Assert.Contains($"Proposal {removeId}: Accepted", (await AsFirst("vote", "--proposal-id", removeId, "--accept")).Output, StringComparison.Ordinal);

        var autoRefresh = await AsFirst("propose", "--action", "set_jwt_issuer", "--arg", issuer, "--arg", $"jwks=@{jwks}", "--arg", "auto_refresh=true");
        var notJson = await AsFirst("propose", "--action", "set_jwt_issuer", "--arg", issuer, "--arg", "jwks=keys");

        Assert.True(autoRefresh.ExitCode == ExitCodes.Failure, autoRefresh.ToString());
        Assert.Contains("(400): ProposalInvalid", autoRefresh.Error, StringComparison.Ordinal);
        Assert.Contains("auto_refresh", autoRefresh.Error, StringComparison.Ordinal);
        Assert.True(notJson.ExitCode == ExitCodes.Failure, notJson.ToString());
        Assert.Contains("--arg jwks must be JSON", notJson.Error, StringComparison.Ordinal);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public async Task ARekeyIsProposedWithNoArgumentsAndOnceAcceptedTheMembersAreDealtTheNewSecretVersion()
    {
        await using var node = await VellumNode.StartAsync(Options("private", LedgerType.Private));
        string[] asMember = ["--target", Target(node), "--service-cert", node.ServiceCertificatePath, "--cert", Path.Combine(node.DataDirectory, "member0_cert.pem"), "--key", Path.Combine(node.DataDirectory, "member0_key.pem")];

        var id = ProposalIdIn(await Member(["propose", .. asMember, "--action", "trigger_ledger_rekey"]), "Open");
        var vote = await Member(["vote", .. asMember, "--proposal-id", id, "--accept"]);

        Assert.True(vote.ExitCode == ExitCodes.Success, vote.ToString());
        Assert.Contains($"Proposal {id}: Accepted", vote.Output, StringComparison.Ordinal);
        await Loopback.WaitUntilAsync(async () => await DealtVersionAsync(node) == 1, "the deal of ledger secret version 1");
    }

    [Fact]
    public async Task ARekeyProposalIsRefusedOnAPublicLedger()
    {
        var propose = await AsFirst("propose", "--action", "trigger_ledger_rekey");

        Assert.True(propose.ExitCode == ExitCodes.Failure, propose.ToString());
        Assert.Contains("ProposalInvalid", propose.Error, StringComparison.Ordinal);
    }

    private static Task<CliResult> Member(params string[] args) => CliResult.RunAsync(["member", .. args]);

    private Task<CliResult> AsFirst(string command, params string[] args) =>
        Member([command, "--target", Target(_founder), "--service-cert", ServiceCert, "--cert", FirstCert, "--key", FirstKey, .. args]);

    private Task<CliResult> As(NewMemberFiles member, string command, params string[] args) =>
        Member([command, "--target", Target(_founder), "--service-cert", ServiceCert, "--cert", member.Cert, "--key", member.Key, .. args]);

    /// <summary>Adds a member holding an encryption key, accepted by the first member's ballot alone.</summary>
    private async Task<NewMemberFiles> AddMemberAsync(string name)
    {
        var member = NewMember(name);
        var id = ProposalIdIn(await AsFirst("propose", "--action", "set_member", "--arg", $"cert=@{member.Cert}", "--arg", $"encryption_pub_key=@{member.EncryptionKey}"), "Open");
        var vote = await AsFirst("vote", "--proposal-id", id, "--accept");
        Assert.True(vote.ExitCode == ExitCodes.Success && vote.Output.Contains("Accepted", StringComparison.Ordinal), vote.ToString());
        return member;
    }

    /// <summary>A new self-signed member certificate with its key, and an RSA public key for its recovery share.</summary>
    private NewMemberFiles NewMember(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var encryption = RSA.Create(2048);
        var certPem = certificate.ExportCertificatePem();
        return new NewMemberFiles(
            MemberId(certPem),
            _files.Write($"{name}_cert.pem", certPem),
            _files.Write($"{name}_key.pem", key.ExportPkcs8PrivateKeyPem()),
            _files.Write($"{name}_enc_pubk.pem", encryption.ExportSubjectPublicKeyInfoPem()));
    }

    private static string MemberId(string certificatePem)
    {
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
    }

    private static string ProposalIdIn(CliResult result, string state)
    {
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var match = Headline().Match(result.Output);
        Assert.True(match.Success, result.ToString());
        Assert.Equal(state, match.Groups[2].Value);
        return match.Groups[1].Value;
    }

    [GeneratedRegex("^Proposal ([0-9a-f]{64}): (\\w+)$", RegexOptions.Multiline)]
    private static partial Regex Headline();

    private async Task<VellumNode> JoinAsync(string name)
    {
        var options = Options(name);
        using (var service = X509Certificate2.CreateFromPem(_founder.ServiceCertificatePem))
        {
            await NodeJoiner.JoinAsync(JoinOptions.For(options, Target(_founder), service));
        }

        var node = await VellumNode.StartAsync(options);
        await Loopback.WaitUntilAsync(async () => await VotersAsync() == 2, "the joined node to become a voter");
        return node;
    }

    private Task<int> VotersAsync() => GetJsonAsync(_founder, "/node/members", members => members.GetProperty("members").EnumerateArray().Count(member => member.GetProperty("role").GetString() == "voter"));

    private static Task<int> DealtVersionAsync(VellumNode node) => GetJsonAsync(node, "/gov/recovery", deal => deal.GetProperty("ledgerSecretVersion").GetInt32());

    private static async Task<T> GetJsonAsync<T>(VellumNode node, string path, Func<JsonElement, T> read)
    {
        var service = X509Certificate2.CreateFromPem(node.ServiceCertificatePem);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, presented, _, errors) => ReachableAddress.ChainEndsAt(service, presented, errors),
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = node.BaseAddress };
        using var document = JsonDocument.Parse(await client.GetStringAsync(path));
        service.Dispose();
        return read(document.RootElement);
    }

    private NodeOptions Options(string name, LedgerType? type = null) => new()
    {
        LedgerType = type,
        DataDirectory = Path.Combine(_files.Path, name),
        Listen = new IPEndPoint(IPAddress.Loopback, Loopback.FreePort()),
        PeerListen = new IPEndPoint(IPAddress.Loopback, Loopback.FreePort()),
        Replica = FastReplica,
    };



    private sealed record NewMemberFiles(string Id, string Cert, string Key, string EncryptionKey);
}
