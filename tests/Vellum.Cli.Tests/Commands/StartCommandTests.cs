using System.Diagnostics;
using System.Text.RegularExpressions;
using Vellum.Cli.Tests.Support;

namespace Vellum.Cli.Tests.Commands;

/// <summary><c>vellum start</c> run as a user runs it: a real process, real files, real signals, and the printed curl line run as printed.</summary>
public sealed partial class StartCommandTests : IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private string DataDirectory => Path.Combine(_files.Path, "data");

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task FirstStartCreatesTheLedgerPrintsAWorkingCurlLineAndStopsCleanlyOnSigterm()
    {
        using var vellum = RunningVellum.Start("start", "--data", DataDirectory, "--listen", "127.0.0.1:0");
        var serving = await vellum.WaitForLineAsync("serving at https://127.0.0.1:");
        Assert.Contains("created and serving", serving, StringComparison.Ordinal);
        await vellum.WaitForLineAsync("Press Ctrl+C to stop.");
        Assert.Contains($"encryption key (opens its recovery share): {Path.Combine(DataDirectory, "member0_enc_key.pem")}; move it", vellum.Output, StringComparison.Ordinal);

        var curl = PrintedCurlCommand(vellum.Output);
        var (exitCode, output) = await RunBashAsync(curl + " -sS -i");
        Assert.True(exitCode == 0, output);
        Assert.Contains("HTTP/2 200", output, StringComparison.Ordinal);
        Assert.Contains("x-ms-ccf-transaction-id: 1.", output, StringComparison.Ordinal);
        Assert.Contains("{\"collectionId\":\"subledger:0\"}", output, StringComparison.Ordinal);

        foreach (var secret in new[] { "user_admin_key.pem", "service_key.pem", "node_key.pem", "service_secret.key" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(DataDirectory, secret)));
        }

        Assert.True(File.Exists(Path.Combine(DataDirectory, "service_cert.pem")));
        Assert.True(File.Exists(Path.Combine(DataDirectory, "user_admin_cert.pem")));

        vellum.Signal(RunningVellum.SigTerm);
        Assert.Equal(0, await vellum.WaitForExitAsync());
        Assert.Contains("Stopped.", vellum.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LaterStartResumesTheLedgerAndSigintStopsItCleanly()
    {
        string firstCommitted;
        using (var first = RunningVellum.Start("start", "--data", DataDirectory, "--listen", "127.0.0.1:0"))
        {
            await first.WaitForLineAsync("Press Ctrl+C to stop.");
            Assert.Contains($"first member (governance, /gov): {Path.Combine(Path.GetFullPath(DataDirectory), "member0_cert.pem")}", first.Output, StringComparison.Ordinal);
            var (exitCode, output) = await RunBashAsync(PrintedCurlCommand(first.Output) + " -sS");
            Assert.True(exitCode == 0, output);
            first.Signal(RunningVellum.SigTerm);
            Assert.Equal(0, await first.WaitForExitAsync());
            firstCommitted = CommittedSeqno(first.Output);
        }

        using var second = RunningVellum.Start("start", "--data", DataDirectory, "--listen", "127.0.0.1:0");
        var serving = await second.WaitForLineAsync("serving at");
        Assert.DoesNotContain("created", serving, StringComparison.Ordinal);
        await second.WaitForLineAsync("Press Ctrl+C to stop.");

        // The write made through the first run is committed in the resumed ledger.
        Assert.True(long.Parse(CommittedSeqno(second.Output), System.Globalization.CultureInfo.InvariantCulture) > long.Parse(firstCommitted, System.Globalization.CultureInfo.InvariantCulture));
        second.Signal(RunningVellum.SigInt);
        Assert.Equal(0, await second.WaitForExitAsync());
        Assert.Contains("Stopped.", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartingAnExistingLedgerWithAnotherNameIsRefusedWithAClearMessage()
    {
        using (var first = RunningVellum.Start("start", "--data", DataDirectory, "--listen", "127.0.0.1:0"))
        {
            await first.WaitForLineAsync("Press Ctrl+C to stop.");
            first.Signal(RunningVellum.SigTerm);
            Assert.Equal(0, await first.WaitForExitAsync());
        }

        using var renamed = RunningVellum.Start("start", "--data", DataDirectory, "--listen", "127.0.0.1:0", "--name", "other");
        Assert.Equal(1, await renamed.WaitForExitAsync());
        Assert.Contains("is named \"vellum\", not \"other\"", renamed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExistingCertificateBecomesTheInitialAdministratorAndFirstMember()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Operator", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = _files.Write("operator.pem", certificate.ExportCertificatePem());
        var keyPath = _files.Write("operator.key", key.ExportPkcs8PrivateKeyPem());

        using var vellum = RunningVellum.Start("start", "--data", DataDirectory, "--listen", "127.0.0.1:0", "--admin-cert", certificatePath, "--member-cert", certificatePath);
        var serving = await vellum.WaitForLineAsync("serving at ");
        await vellum.WaitForLineAsync("Press Ctrl+C to stop.");
        Assert.False(File.Exists(Path.Combine(DataDirectory, "user_admin_key.pem")));
        Assert.Contains("is the certificate given with --admin-cert at creation", vellum.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("member0_enc_key.pem", vellum.Output, StringComparison.Ordinal);

        // The same certificate may be the first member too; the node then writes no member key.
        Assert.False(File.Exists(Path.Combine(DataDirectory, "member0_key.pem")));
        Assert.Equal(certificate.ExportCertificatePem().Trim(), File.ReadAllText(Path.Combine(DataDirectory, "member0_cert.pem")).Trim());
        var url = serving[(serving.IndexOf("https://", StringComparison.Ordinal))..].Trim();
        var serviceCertificate = Path.Combine(DataDirectory, "service_cert.pem");

        var (exitCode, output) = await RunBashAsync(
            $"curl -sS --cacert {serviceCertificate} --cert {certificatePath} --key {keyPath} -H 'Content-Type: application/json' -d '{{\"contents\":\"x\"}}' '{url}/app/transactions?api-version=2022-05-13'");
        Assert.True(exitCode == 0, output);
        Assert.Contains("{\"collectionId\":\"subledger:0\"}", output, StringComparison.Ordinal);

        vellum.Signal(RunningVellum.SigTerm);
        Assert.Equal(0, await vellum.WaitForExitAsync());

        using var again = RunningVellum.Start("start", "--data", DataDirectory, "--listen", "127.0.0.1:0", "--admin-cert", certificatePath);
        await again.WaitForLineAsync("Press Ctrl+C to stop.");
        Assert.Contains("--admin-cert is ignored", again.Output, StringComparison.Ordinal);
        again.Signal(RunningVellum.SigTerm);
        Assert.Equal(0, await again.WaitForExitAsync());
    }

    [Fact]
    public async Task PrivateLedgerStartsWithALedgerSecretAndCannotRestartAsPublic()
    {
        using (var vellum = RunningVellum.Start("start", "--data", DataDirectory, "--listen", "127.0.0.1:0", "--ledger-type", "private"))
        {
            await vellum.WaitForLineAsync("Press Ctrl+C to stop.");
            vellum.Signal(RunningVellum.SigTerm);
            Assert.Equal(0, await vellum.WaitForExitAsync());
        }

        Assert.True(File.Exists(Path.Combine(DataDirectory, "ledger_secret.key")));
        using var again = RunningVellum.Start("start", "--data", DataDirectory, "--listen", "127.0.0.1:0", "--ledger-type", "public");
        Assert.Equal(1, await again.WaitForExitAsync());
        Assert.Contains("cannot become public", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFolderThatLostItsVellumJsonIsRefusedWithOneLineSayingWhatToDoAndKeepsItsServiceKey()
    {
        using (var first = RunningVellum.Start("start", "--data", DataDirectory, "--listen", "127.0.0.1:0"))
        {
            await first.WaitForLineAsync("Press Ctrl+C to stop.");
            first.Signal(RunningVellum.SigTerm);
            Assert.Equal(0, await first.WaitForExitAsync());
        }

        File.Delete(Path.Combine(DataDirectory, "vellum.json"));
        var serviceKey = await File.ReadAllTextAsync(Path.Combine(DataDirectory, "service_key.pem"));

        var refused = await CliResult.RunAsync("start", "--data", DataDirectory, "--listen", "127.0.0.1:0");

        Assert.True(refused.ExitCode == ExitCodes.Failure && refused.Output.Length == 0, refused.ToString());
        Assert.Single(refused.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("but no vellum.json", refused.Error, StringComparison.Ordinal);
        Assert.Contains("vellum recover", refused.Error, StringComparison.Ordinal);
        Assert.Equal(serviceKey, await File.ReadAllTextAsync(Path.Combine(DataDirectory, "service_key.pem")));
        Assert.False(File.Exists(Path.Combine(DataDirectory, "vellum.json")));
    }

    [Fact]
    public async Task BadListenAddressIsAUsageError()
    {
        using var vellum = RunningVellum.Start("start", "--data", DataDirectory, "--listen", "nowhere");
        Assert.Equal(2, await vellum.WaitForExitAsync());
        Assert.Contains("--listen", vellum.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backups")]
    [InlineData(".")]
    public async Task ABackupFolderInsideTheDataFolderIsAUsageError(string inside)
    {
        using var vellum = RunningVellum.Start("start", "--data", DataDirectory, "--backup-to", Path.Combine(DataDirectory, inside), "--listen", "127.0.0.1:0");

        Assert.Equal(2, await vellum.WaitForExitAsync());
        Assert.Contains("--backup-to: The backup folder", vellum.Error, StringComparison.Ordinal);
        Assert.Contains("is inside the data folder", vellum.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDirectory));
    }

    private static string PrintedCurlCommand(string output)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, line => line.TrimStart().StartsWith("curl ", StringComparison.Ordinal));
        Assert.True(start >= 0, output);
        var command = new List<string>();
        for (var i = start; i < lines.Length; i++)
        {
            command.Add(lines[i].TrimEnd('\\', ' '));
            if (!lines[i].TrimEnd().EndsWith('\\'))
            {
                break;
            }
        }

        return string.Join(' ', command.Select(part => part.Trim()));
    }

    private static string CommittedSeqno(string output) => CommittedPattern().Match(output) is { Success: true } match
        ? match.Groups[1].Value
        : throw new Xunit.Sdk.XunitException($"no committed transaction in:\n{output}");

    private static async Task<(int ExitCode, string Output)> RunBashAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (process.ExitCode, await output + await error);
    }

    [GeneratedRegex(@"last committed transaction: \d+\.(\d+)")]
    private static partial Regex CommittedPattern();
}
