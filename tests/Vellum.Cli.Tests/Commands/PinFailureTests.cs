using Vellum.Cli.Tests.Support;

namespace Vellum.Cli.Tests.Commands;

/// <summary>
/// The commands that call a node's API directly (governance, monitoring, audits, exports) explain
/// a node refused by the pinned service certificate as the ledger-user commands do, in one line.
/// </summary>
public sealed class PinFailureTests(UserLedger ledger) : IClassFixture<UserLedger>
{
    private const string SomeProposalId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private const string Explanation =
        "SecureConnectionFailed: The TLS handshake failed; a node whose certificate chain does not end at the pinned ledger identity is refused: ";

    [Theory]
    [InlineData("member", "list")]
    [InlineData("member", "proposals")]
    [InlineData("member", "propose", "--action", "set_recovery_threshold", "--arg", "threshold=1", "@member")]
    [InlineData("member", "vote", "--proposal-id", SomeProposalId, "--accept", "@member")]
    [InlineData("member", "withdraw", "--proposal-id", SomeProposalId, "@member")]
    [InlineData("member", "submit-share", "--encryption-key", "@encryption-key", "@member")]
    [InlineData("cluster", "members")]
    [InlineData("cluster", "retire", "--node-id", SomeProposalId, "@admin")]
    [InlineData("monitor", "--once", "--state", "@state", "@admin")]
    [InlineData("verify-consistency", "--from", "1", "--to", "2", "@admin")]
    [InlineData("export", "--tx", "2.1", "--out", "@bundle", "@admin")]
    public async Task ANodeCommandPinnedToAnotherLedgerSaysThePinRefusedTheNodeAndExitsOne(params string[] command)
    {
        var args = Resolve(command).Concat(["--target", ledger.Target, "--service-cert", OtherServiceCert()]).ToArray();

        var result = await CliResult.RunAsync(args);

        AssertExplained(result);
    }

    [Fact]
    public async Task AnAuditDownloadPinnedToAnotherLedgerSaysThePinRefusedTheNodeAndExitsOne()
    {
        var result = await CliResult.RunAsync("audit", $"https://{ledger.Target}", "--service-cert", OtherServiceCert(), "--cert", ledger.AdminCert, "--key", ledger.AdminKey);

        AssertExplained(result);
    }

    [Fact]
    public async Task AJoinPinnedToAnotherLedgerSaysThePinRefusedTheNode()
    {
        var result = await CliResult.RunAsync(
            "join", "--target", ledger.Target, "--service-cert", OtherServiceCert(), "--data", ledger.Files.Missing("joiner"),
            "--listen", $"127.0.0.1:{Loopback.FreePort()}", "--peer-listen", $"127.0.0.1:{Loopback.FreePort()}");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("error: the node did not join: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(Explanation["SecureConnectionFailed: ".Length..], result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("see inner exception", result.Error, StringComparison.Ordinal);
    }

    private static void AssertExplained(CliResult result)
    {
        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(Explanation, line, StringComparison.Ordinal);
        Assert.DoesNotContain("see inner exception", line, StringComparison.Ordinal);
    }

    private string OtherServiceCert()
    {
        using var other = TestLedger.CreateService("Another Ledger");
        return ledger.Files.Write("other_service.pem", other.CertificatePem);
    }

    // "@name" stands for a file of the node's folder or a fresh path, and "@member" or "@admin" for a caller's --cert and --key.
    private IEnumerable<string> Resolve(string[] command)
    {
        var data = ledger.Node.DataDirectory;
        foreach (var word in command)
        {
            IEnumerable<string> resolved = word switch
            {
                "@member" => ["--cert", Path.Combine(data, "member0_cert.pem"), "--key", Path.Combine(data, "member0_key.pem")],
                "@admin" => ["--cert", ledger.AdminCert, "--key", ledger.AdminKey],
                "@encryption-key" => [Path.Combine(data, "member0_enc_key.pem")],
                "@state" => [ledger.Files.Missing("monitor-state.json")],
                "@bundle" => [ledger.Files.Missing("bundle.json")],
                _ => [word],
            };
            foreach (var resolvedWord in resolved)
            {
                yield return resolvedWord;
            }
        }
    }
}
