using System.Net;
using System.Text;
using System.Text.Json;
using Vellum.Cli.Tests.Crash;
using Vellum.Cli.Tests.Support;
using Vellum.Core.Receipts;
using Xunit.Abstractions;

namespace Vellum.Cli.Tests.Recovery;

/// <summary>
/// The disaster drill: a ledger whose every node and data folder is lost but for a backup is
/// recovered with <c>vellum recover</c>, by 2 of its 3 members submitting their shares, under a
/// new service identity; every entry reads back, and receipts from before and after verify.
/// </summary>
public sealed class DisasterRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const int Entries = 24;
    private readonly TempDirectory _files = new();

    private string Lost => Path.Combine(_files.Path, "lost");

    private string Backup => Path.Combine(_files.Path, "backup");

    private string Recovered => Path.Combine(_files.Path, "recovered");

    private string Kept => Directory.CreateDirectory(Path.Combine(_files.Path, "kept")).FullName;

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("public")]
    [InlineData("private")]
    public async Task ALedgerLostButForItsBackupIsRecoveredByTwoOfThreeMembersWithEveryEntryAndReceipt(string ledgerType)
    {
        var members = new RecoveryMembers(Kept);
        var (written, oldServicePem) = await RunLedgerThenLoseItAsync(ledgerType, members);

        var recovery = RunningVellum.Start("recover", "--ledger", Backup, "--data", Recovered, "--listen", "127.0.0.1:0");
        var waiting = await recovery.WaitForLineAsync("waiting for recovery shares at https://");
        var target = new Uri(waiting[waiting.IndexOf("https://", StringComparison.Ordinal)..].Split(' ')[0]).Authority;
        var newServiceCert = Path.Combine(Recovered, "service_cert.pem");

        // t − 1 shares: still sealed, nothing served and no secret in the folder.
        await SubmitShareAsync(members, 1, target, newServiceCert, "1 of the 2 shares needed are in");
        Assert.False(File.Exists(Path.Combine(Recovered, "service_secret.key")));
        Assert.False(File.Exists(Path.Combine(Recovered, "ledger_secret.key")));
        using (var sealedNode = RecoveryClient(target, newServiceCert))
        {
            using var read = await sealedNode.GetAsync(KillableNode.App($"/app/transactions/{written[0].Id}"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
            Assert.Contains("ServiceNotOpen", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var ready = await sealedNode.GetAsync("/node/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        await SubmitShareAsync(members, 2, target, newServiceCert, "the threshold is reached");
        using var node = await KillableNode.AttachAsync(recovery, newServiceCert, Kept);
        Assert.NotEqual(oldServicePem, node.ServiceCertificatePem);
        var late = await CliResult.RunAsync(["member", "submit-share", .. members.As(0, node.Target, newServiceCert), "--encryption-key", members.EncryptionKey(0)]);
        Assert.True(late.ExitCode == ExitCodes.Failure && late.Error.Contains("(409): AlreadyRecovered", StringComparison.Ordinal), late.ToString());
        var pinnedToLost = await CliResult.RunAsync(["member", "list", .. members.As(0, node.Target, Path.Combine(Recovered, "previous_service_cert.pem"))]);
        Assert.True(pinnedToLost.ExitCode == ExitCodes.Failure && pinnedToLost.Error.Contains("SecureConnectionFailed", StringComparison.Ordinal), pinnedToLost.ToString());
        Assert.Contains("the ledger's users are those of the ledger it recovered", recovery.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("--admin-cert", recovery.Output, StringComparison.Ordinal);
        using (var notOpen = await node.Client.GetAsync(KillableNode.App($"/app/transactions/{written[0].Id}")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notOpen.StatusCode);
        }

        await OpenAsync(members, node.Target, newServiceCert);
        foreach (var entry in written)
        {
            Assert.Equal(entry.Contents, await ReadAsync(node, entry.Id));
            var receipt = await ReceiptAsync(node, entry.Id);
            AssertVerifies(receipt, node.ServiceCertificatePem, $"the receipt of {entry.Id} after the recovery");
            Assert.Single(ReceiptOf(receipt).GetProperty("serviceEndorsements").EnumerateArray());
            Assert.Equal(ReceiptOf(entry.Receipt).GetProperty("signature").GetString(), ReceiptOf(receipt).GetProperty("signature").GetString());
            AssertVerifies(entry.Receipt, oldServicePem, $"the receipt of {entry.Id} from before the disaster");
        }

        var after = await WriteAsync(node, "written after the recovery");
        var afterReceipt = await ReceiptAsync(node, after);
        AssertVerifies(afterReceipt, node.ServiceCertificatePem, "a receipt of a transaction after the recovery");
        Assert.Empty(ReceiptOf(afterReceipt).GetProperty("serviceEndorsements").EnumerateArray());
        if (ledgerType == "private")
        {
            // Versions 0 and 1 came from the shares (their records are sealed for the lost
            // service's nodes); version 2 is sealed for the new service's, on top of them.
            await RekeyAsync(members, node, newServiceCert, version: 2);
            var rotated = await WriteAsync(node, "written after rotating the recovered ledger");
            Assert.Equal("written after rotating the recovered ledger", await ReadAsync(node, rotated));
            Assert.Equal(written[0].Contents, await ReadAsync(node, written[0].Id));
        }

        await node.StopAsync();

        var again = await CliResult.RunAsync("recover", "--ledger", Backup, "--data", Recovered, "--listen", "127.0.0.1:0");
        Assert.True(again.ExitCode == ExitCodes.Failure && again.Error.Contains("already holds a ledger", StringComparison.Ordinal), again.ToString());
        await BackUpTheRecoveredLedgerAndRecoverFromItAsync(oldServicePem, node.ServiceCertificatePem);
    }

    [Fact]
    public async Task RecoveringFromAFolderThatIsNotAValidBackupFailsAndSaysWhy()
    {
        Directory.CreateDirectory(Backup);

        var result = await CliResult.RunAsync("recover", "--ledger", Backup, "--data", Recovered, "--listen", "127.0.0.1:0");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Contains("cannot be recovered from", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Recovered, "vellum.json")));
    }

    [Theory]
    [InlineData("--name", "other")]
    [InlineData("--ledger-type", "public")]
    [InlineData("--admin-cert", "admin.pem")]
    [InlineData("--member-cert", "member.pem")]
    public async Task RecoverRefusesAnOptionTheBackupDecidesAsAUsageErrorBeforeTouchingAnyFolder(string option, string value)
    {
        Directory.CreateDirectory(Backup);

        var result = await CliResult.RunAsync("recover", "--ledger", Backup, "--data", Recovered, "--listen", "127.0.0.1:0", option, value);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains($"recover takes no {option}: the backup decides", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Recovered));
    }

    [Fact]
    public async Task RecoverHelpOffersTheStartOptionsItUsesAndNotThoseTheBackupDecides()
    {
        var help = await CliResult.RunAsync("recover", "--help");

        Assert.Contains("--listen", help.Output, StringComparison.Ordinal);
        Assert.Contains("--backup-to", help.Output, StringComparison.Ordinal);
        foreach (var option in new[] { "--name", "--ledger-type", "--admin-cert", "--member-cert" })
        {
            Assert.DoesNotContain(option, help.Output, StringComparison.Ordinal);
        }
    }

    /// <summary>Runs a ledger of 3 members with threshold 2, writes, backs up, and loses its node and folder; returns what was written, with receipts, and the lost service's certificate.</summary>
    private async Task<(List<Written> Written, string ServicePem)> RunLedgerThenLoseItAsync(string ledgerType, RecoveryMembers members)
    {
        var written = new List<Written>();
        using var node = await KillableNode.StartAsync(Lost, "--ledger-type", ledgerType, "--max-chunk-bytes", "4096");
        members.KeepFirst(Lost);
        File.Copy(Path.Combine(Lost, "user_admin_cert.pem"), Path.Combine(Kept, "user_admin_cert.pem"));
        File.Copy(Path.Combine(Lost, "user_admin_key.pem"), Path.Combine(Kept, "user_admin_key.pem"));
        var serviceCert = Path.Combine(Kept, "lost_service_cert.pem");
        File.Copy(Path.Combine(Lost, "service_cert.pem"), serviceCert);

        var proposal = members.Proposal("members.json", members.Create(1), members.Create(2), new { name = "set_recovery_threshold", args = new { recovery_threshold = 2 } });
        var proposed = await CliResult.RunAsync(["member", "propose", .. members.As(0, node.Target, serviceCert), "--proposal", proposal]);
        Assert.True(proposed.ExitCode == 0, proposed.ToString());
        Assert.Contains("Accepted", await VoteAsync(members, 0, node.Target, serviceCert, proposed), StringComparison.Ordinal);

        for (var i = 0; i < Entries; i++)
        {
            if (i == Entries / 2 && ledgerType == "private")
            {
                await RekeyAsync(members, node, serviceCert);
            }

            var contents = $"entry {i} of the drill, {new string('x', 200)}";
            var id = await WriteAsync(node, contents);
            written.Add(new Written(id, contents, await ReceiptAsync(node, id)));
        }

        await BackUpPastAsync(node, written[^1].Id.Seqno);
        await node.KillAsync();
        Directory.Delete(Lost, recursive: true);
        return (written, node.ServiceCertificatePem);
    }

    // Backups copy closed chunks only: write until one closes after the last entry, and the deal for 2 of 3 with it.
    private async Task BackUpPastAsync(KillableNode node, long seqno)
    {
        for (var filler = 0; ; filler++)
        {
            var backup = await CliResult.RunAsync("backup", "--data", Lost, "--to", Backup);
            Assert.True(backup.ExitCode == 0, backup.ToString());
            var held = long.Parse(System.Text.RegularExpressions.Regex.Match(backup.Output, @"holds seqnos 1-(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (held >= seqno)
            {
                output.WriteLine($"the backup holds seqnos 1-{held} after {filler} filler write(s)");
                return;
            }

            await WriteAsync(node, $"filler {filler} {new string('f', 400)}");
        }
    }

    // Right after the recovery every closed chunk is the lost service's: the backup holds that
    // service's certificate and recovers. Once the recovered service's first chunk closes, the
    // same backup folder takes the new certificate, and recovers too.
    private async Task BackUpTheRecoveredLedgerAndRecoverFromItAsync(string lostServicePem, string recoveredServicePem)
    {
        var after = Path.Combine(_files.Path, "backup-after-recovery");
        await BackUpAndRecoverAsync(after, lostServicePem);
        var continued = await CliResult.RunAsync("backup", "--data", Recovered, "--to", Backup);
        Assert.True(continued.ExitCode == 0, $"the backup from before the disaster is continued: {continued}");

        using (var node = await KillableNode.AttachAsync(RunningVellum.Start("start", "--data", Recovered, "--listen", "127.0.0.1:0", "--max-chunk-bytes", "4096"), Path.Combine(Recovered, "service_cert.pem"), Kept))
        {
            for (var filler = 0; await BackUpAsync(after) != recoveredServicePem; filler++)
            {
                await WriteAsync(node, $"filler after the recovery {filler} {new string('f', 400)}");
            }

            await node.StopAsync();
        }

        await BackUpAndRecoverAsync(after, recoveredServicePem);
    }

    private async Task BackUpAndRecoverAsync(string backup, string expectedServicePem)
    {
        Assert.Equal(expectedServicePem, await BackUpAsync(backup));
        var verify = await CliResult.RunAsync("backup", "verify", backup);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        using var recovery = RunningVellum.Start("recover", "--ledger", backup, "--data", Path.Combine(_files.Path, "recovered-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(expectedServicePem)))[..8]), "--listen", "127.0.0.1:0");
        await recovery.WaitForLineAsync("waiting for recovery shares at https://");
        recovery.Signal(RunningVellum.SigTerm);
        await recovery.WaitForExitAsync();
    }

    // Backs the recovered ledger up into backup; returns the service certificate the backup holds.
    private async Task<string> BackUpAsync(string backup)
    {
        var result = await CliResult.RunAsync("backup", "--data", Recovered, "--to", backup);
        Assert.True(result.ExitCode == 0, result.ToString());
        return await File.ReadAllTextAsync(Path.Combine(backup, "service_cert.pem"));
    }

    // Before the disaster, half the entries are sealed under version 0 and half under version 1,
    // which the members are dealt before the backup; after it, the recovered service rotates to 2.
    private static async Task RekeyAsync(RecoveryMembers members, KillableNode node, string serviceCert, int version = 1)
    {
        var proposed = await CliResult.RunAsync(["member", "propose", .. members.As(0, node.Target, serviceCert), "--action", "trigger_ledger_rekey"]);
        Assert.True(proposed.ExitCode == 0, proposed.ToString());
        await VoteAsync(members, 0, node.Target, serviceCert, proposed);
        await VoteAsync(members, 1, node.Target, serviceCert, proposed);
        await Loopback.WaitUntilAsync(
            async () =>
            {
                using var deal = JsonDocument.Parse(await node.Client.GetStringAsync("/gov/recovery"));
                return deal.RootElement.GetProperty("ledgerSecretVersion").GetInt32() == version;
            },
            $"the deal of ledger secret version {version}");
    }

    private static async Task<string> VoteAsync(RecoveryMembers members, int member, string target, string serviceCert, CliResult proposed)
    {
        var id = System.Text.RegularExpressions.Regex.Match(proposed.Output, "[0-9a-f]{64}").Value;
        var vote = await CliResult.RunAsync(["member", "vote", .. members.As(member, target, serviceCert), "--proposal-id", id, "--accept"]);
        Assert.True(vote.ExitCode == 0, vote.ToString());
        return vote.Output;
    }

    private static async Task SubmitShareAsync(RecoveryMembers members, int member, string target, string serviceCert, string expected)
    {
        var submitted = await CliResult.RunAsync(["member", "submit-share", .. members.As(member, target, serviceCert), "--encryption-key", members.EncryptionKey(member)]);
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        Assert.Contains(expected, submitted.Output, StringComparison.Ordinal);
    }

    // A majority of the 3 members, 0 and 1, open the recovered service.
    private static async Task OpenAsync(RecoveryMembers members, string target, string serviceCert)
    {
        var proposed = await CliResult.RunAsync(["member", "propose", .. members.As(0, target, serviceCert), "--action", "transition_service_to_open", "--arg", $"next_service_identity=@{serviceCert}"]);
        Assert.True(proposed.ExitCode == 0, proposed.ToString());
        Assert.Contains("Open", await VoteAsync(members, 0, target, serviceCert, proposed), StringComparison.Ordinal);
        Assert.Contains("Accepted", await VoteAsync(members, 1, target, serviceCert, proposed), StringComparison.Ordinal);
    }

    private static HttpClient RecoveryClient(string target, string serviceCertPath)
    {
        var pinned = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(serviceCertPath));
        var handler = new SocketsHttpHandler { SslOptions = new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, presented, _, errors) => Vellum.Node.ReachableAddress.ChainEndsAt(pinned, presented, errors) } };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{target}") };
    }

    private static async Task<Core.TransactionId> WriteAsync(KillableNode node, string contents)
    {
        using var body = new StringContent(JsonSerializer.Serialize(new { contents }), Encoding.UTF8, "application/json");
        using var response = await node.Client.PostAsync(KillableNode.App("/app/transactions?waitForCommit=true"), body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return Core.TransactionId.Parse(response.Headers.GetValues("x-ms-ccf-transaction-id").Single());
    }

    private static async Task<string> ReadAsync(KillableNode node, Core.TransactionId id)
    {
        var text = await node.Client.GetStringAsync(KillableNode.App($"/app/transactions/{id}"));
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("entry").GetProperty("contents").GetString()!;
    }

    private static async Task<string> ReceiptAsync(KillableNode node, Core.TransactionId id)
    {
        // The receipt needs a signature after the entry; an idle primary signs at once, so it is there or shortly will be.
        while (true)
        {
            using var response = await node.Client.GetAsync(KillableNode.App($"/app/transactions/{id}/receipt"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"the receipt of {id}: {(int)response.StatusCode} {text}");
            if (text.Contains("\"Ready\"", StringComparison.Ordinal))
            {
                return text;
            }
        }
    }

    private static JsonElement ReceiptOf(string response) => JsonDocument.Parse(response).RootElement.GetProperty("receipt");

    private static void AssertVerifies(string receipt, string servicePem, string what)
    {
        var verification = ReceiptVerifier.VerifyJson(receipt, servicePem);
        Assert.True(verification.IsValid, $"{what} does not verify: {verification}");
    }

    private sealed record Written(Core.TransactionId Id, string Contents, string Receipt);
}
