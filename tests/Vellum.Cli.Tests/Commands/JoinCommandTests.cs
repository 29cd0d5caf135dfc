using System.Text.RegularExpressions;
using Vellum.Cli.Tests.Support;

namespace Vellum.Cli.Tests.Commands;

/// <summary><c>vellum start --joins</c> and <c>vellum join</c> as real processes: a join the consortium must approve waits for a member's proposal.</summary>
public sealed partial class JoinCommandTests : IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task UnderConsortiumJoinsAJoinStaysPendingUntilAMemberTrustsTheNodeThenItServes()
    {
        var founderData = Path.Combine(_files.Path, "founder");
        using var founder = RunningVellum.Start("start", "--data", founderData, "--listen", "127.0.0.1:0", "--joins", "consortium");
        var serving = await founder.WaitForLineAsync("serving at https://");
        await founder.WaitForLineAsync("Press Ctrl+C to stop.");
        var target = serving[(serving.IndexOf("https://", StringComparison.Ordinal) + "https://".Length)..].Trim();
        var serviceCert = Path.Combine(founderData, "service_cert.pem");
        string[] asMember = ["--target", target, "--service-cert", serviceCert, "--cert", Path.Combine(founderData, "member0_cert.pem"), "--key", Path.Combine(founderData, "member0_key.pem")];

        using var joiner = RunningVellum.Start(
            "join", "--target", target, "--service-cert", serviceCert, "--data", Path.Combine(_files.Path, "joiner"),
            "--listen", $"127.0.0.1:{Loopback.FreePort()}", "--peer-listen", $"127.0.0.1:{Loopback.FreePort()}");
        var waiting = await joiner.WaitForLineAsync("Waiting for the consortium to trust node ");
        var nodeId = NodeIdPattern().Match(waiting).Groups[1].Value;
        Assert.Contains("1 member(s)", (await CliResult.RunAsync("cluster", "members", "--target", target, "--service-cert", serviceCert)).Output, StringComparison.Ordinal);

        var proposed = await CliResult.RunAsync(["member", "propose", .. asMember, "--action", "transition_node_to_trusted", "--arg", $"node_id={nodeId}"]);
        var proposalId = ProposalPattern().Match(proposed.Output).Groups[1].Value;
        Assert.True(proposalId.Length == 64, proposed.ToString());
        var voted = await CliResult.RunAsync(["member", "vote", .. asMember, "--proposal-id", proposalId, "--accept"]);
        Assert.Contains($"Proposal {proposalId}: Accepted", voted.Output, StringComparison.Ordinal);

        await joiner.WaitForLineAsync("Press Ctrl+C to stop.");
        var members = await CliResult.RunAsync("cluster", "members", "--target", target, "--service-cert", serviceCert);
        Assert.Contains("2 member(s)", members.Output, StringComparison.Ordinal);
        Assert.Single(members.OutputLines, line => line.StartsWith(nodeId, StringComparison.Ordinal));

        joiner.Signal(RunningVellum.SigTerm);
        founder.Signal(RunningVellum.SigTerm);
        Assert.Equal(0, await joiner.WaitForExitAsync());
        Assert.Equal(0, await founder.WaitForExitAsync());
    }

    [Theory]
    [InlineData("--joins", "sometimes")]
    [InlineData("--refuse-joins")]
    public async Task AnUnknownJoinsValueOrTheRemovedRefuseJoinsIsAUsageError(params string[] joins)
    {
        var result = await CliResult.RunAsync(["start", "--data", Path.Combine(_files.Path, "unused"), "--listen", "127.0.0.1:0", .. joins]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains(joins[^1], result.Error, StringComparison.Ordinal);
        if (joins[0] == "--joins")
        {
            Assert.All(new[] { "open", "consortium", "closed" }, value => Assert.Contains($"'{value}'", result.Error, StringComparison.Ordinal));
        }

        Assert.False(Directory.Exists(Path.Combine(_files.Path, "unused")));
    }

    [Theory]
    [InlineData("--name", "other")]
    [InlineData("--ledger-type", "private")]
    [InlineData("--admin-cert", "admin.pem")]
    [InlineData("--member-cert", "member.pem")]
    public async Task AJoinGivenAnOptionTheJoinedLedgerDecidesIsAUsageErrorBeforeAnythingIsSent(string option, string value)
    {
        // Nothing listens on the target: a join that sent its request would fail otherwise.
        var result = await CliResult.RunAsync(
            "join", "--target", $"127.0.0.1:{Loopback.FreePort()}", "--service-cert", Path.Combine(_files.Path, "missing.pem"),
            "--data", Path.Combine(_files.Path, "joiner"), "--listen", $"127.0.0.1:{Loopback.FreePort()}", option, value);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains($"join takes no {option}: the ledger joined decides", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_files.Path, "joiner")));
    }

    [Fact]
    public async Task AJoinWhoseServiceCertificateCannotBeReadExitsOneAsForAnyFileThatCannotBeUsed()
    {
        var result = await CliResult.RunAsync(
            "join", "--target", $"127.0.0.1:{Loopback.FreePort()}", "--service-cert", Path.Combine(_files.Path, "missing.pem"),
            "--data", Path.Combine(_files.Path, "joiner"), "--listen", $"127.0.0.1:{Loopback.FreePort()}");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.StartsWith("error: cannot read the service certificate: ", result.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex("trust node ([0-9a-f]{64})")]
    private static partial Regex NodeIdPattern();

    [GeneratedRegex("Proposal ([0-9a-f]{64}): Open")]
    private static partial Regex ProposalPattern();
}
