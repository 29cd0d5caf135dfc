using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vellum.Cli.Commands;
using Vellum.Cli.Tests.Support;
using Vellum.Node;

namespace Vellum.Cli.Tests.Commands;

/// <summary><c>vellum backup</c>, <c>vellum backup verify</c> and <c>vellum delete</c> on a real data folder.</summary>
public sealed class BackupAndDeleteCommandTests : IDisposable
{
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private string DataDirectory => Path.Combine(_files.Path, "data");

    private string BackupDirectory => Path.Combine(_files.Path, "backup");

    [Fact]
    public async Task BackupOfAStoppedNodeVerifiesAndAChangedChunkIsReportedInvalid()
    {
        await using (var node = await StartAsync())
        {
            await WriteAsync(node, 12);
        }

        var backup = await CliResult.RunAsync("backup", "--data", DataDirectory, "--to", BackupDirectory);
        Assert.True(backup.ExitCode == 0, backup.ToString());
        Assert.Contains("It holds seqnos 1-", backup.Output, StringComparison.Ordinal);

        var verify = await CliResult.RunAsync("backup", "verify", BackupDirectory);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal("valid", verify.OutputLines[0]);

        var chunk = Directory.EnumerateFiles(Path.Combine(BackupDirectory, "ledger")).First();
        var bytes = await File.ReadAllBytesAsync(chunk);
        bytes[bytes.Length / 2] ^= 1;
        await File.WriteAllBytesAsync(chunk, bytes);
        var tampered = await CliResult.RunAsync("backup", "verify", BackupDirectory);
        Assert.Equal(1, tampered.ExitCode);
        Assert.StartsWith($"invalid: ledger/{Path.GetFileName(chunk)} has", tampered.Error, StringComparison.Ordinal);
        Assert.Contains("--recheck", tampered.Error, StringComparison.Ordinal);

        var repaired = await CliResult.RunAsync("backup", "--data", DataDirectory, "--to", BackupDirectory, "--recheck");
        Assert.True(repaired.ExitCode == 0, repaired.ToString());
        Assert.Contains($"Copied again 1 chunk(s) whose copy in the backup was missing or damaged: ledger/{Path.GetFileName(chunk)}.", repaired.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await CliResult.RunAsync("backup", "verify", BackupDirectory)).ExitCode);
    }

    [Fact]
    public async Task BackupOfAFolderThatIsNotALedgerFails()
    {
        Directory.CreateDirectory(DataDirectory);

        var result = await CliResult.RunAsync("backup", "--data", DataDirectory, "--to", BackupDirectory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not a Vellum data folder", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteWithoutATerminalOrYesRefusesAndKeepsTheFolder()
    {
        await (await StartAsync()).DisposeAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = DeleteCommand.Run(DataDirectory, confirmed: false, terminal: null, output, error);

        Assert.Equal(1, exitCode);
        Assert.Contains("standard input is not a terminal. Pass --yes", error.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(DataDirectory, "service_key.pem")));
    }

    [Fact]
    public async Task DeleteRefusesWhenTheTypedNameIsNotTheLedgers()
    {
        await (await StartAsync()).DisposeAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = DeleteCommand.Run(DataDirectory, confirmed: false, new StringReader("other\n"), output, error);

        Assert.Equal(1, exitCode);
        Assert.Contains("Type the ledger name", output.ToString(), StringComparison.Ordinal);
        Assert.True(Directory.Exists(DataDirectory));
    }

    [Fact]
    public async Task DeleteAfterTypingTheLedgerNameRemovesTheFolder()
    {
        await (await StartAsync()).DisposeAsync();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = DeleteCommand.Run(DataDirectory, confirmed: false, new StringReader("vellum\n"), output, error);

        Assert.True(exitCode == 0, error.ToString());
        Assert.False(Directory.Exists(DataDirectory));
    }

    [Fact]
    public async Task DeleteErasesAFolderWhoseCreationWasCutShortAfterTypingTheFoldersName()
    {
        // What a first start killed after writing its keys but before vellum.json leaves.
        await (await StartAsync()).DisposeAsync();
        File.Delete(Path.Combine(DataDirectory, "vellum.json"));
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "CREATING"), "start\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(1, DeleteCommand.Run(DataDirectory, confirmed: false, new StringReader("vellum\n"), output, error));
        Assert.True(File.Exists(Path.Combine(DataDirectory, "service_key.pem")));
        var exitCode = DeleteCommand.Run(DataDirectory, confirmed: false, new StringReader(Path.GetFileName(DataDirectory) + "\n"), output, error);

        Assert.True(exitCode == 0, error.ToString());
        Assert.Contains("This erases the unfinished ledger", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Type the folder name", output.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDirectory));
    }

    [Fact]
    public async Task DeleteRefusesWhileANodeRunsOnTheFolder()
    {
        await using var node = await StartAsync();

        var result = await CliResult.RunAsync("delete", "--data", DataDirectory, "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("running on", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was deleted", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(DataDirectory, "service_key.pem")));
    }

    [Fact]
    public async Task DeleteWithYesErasesTheFolder()
    {
        await (await StartAsync()).DisposeAsync();

        var result = await CliResult.RunAsync("delete", "--data", DataDirectory, "--yes");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(Directory.Exists(DataDirectory));
    }

    [Fact]
    public async Task DeleteRefusesAFolderThatIsNotALedger()
    {
        Directory.CreateDirectory(DataDirectory);
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, "precious.txt"), "keep me");

        var result = await CliResult.RunAsync("delete", "--data", DataDirectory, "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(DataDirectory, "precious.txt")));
    }

    [Fact]
    public async Task DeleteRefusesABackupFolderSayingItIsABackup()
    {
        await using (var node = await StartAsync())
        {
            await WriteAsync(node, 12);
        }

        var backup = await CliResult.RunAsync("backup", "--data", DataDirectory, "--to", BackupDirectory);
        Assert.True(backup.ExitCode == 0, backup.ToString());

        var result = await CliResult.RunAsync("delete", "--data", BackupDirectory, "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is a backup (it holds manifest.json), not a data folder", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await CliResult.RunAsync("backup", "verify", BackupDirectory)).ExitCode);
    }

    [Fact]
    public async Task BackupIntoAFolderOfOtherFilesFailsAndWritesNothing()
    {
        await (await StartAsync()).DisposeAsync();
        Directory.CreateDirectory(BackupDirectory);
        await File.WriteAllTextAsync(Path.Combine(BackupDirectory, "a.txt"), "hi");

        var result = await CliResult.RunAsync("backup", "--data", DataDirectory, "--to", BackupDirectory);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("holds a.txt, which is not a file of a Vellum backup", result.Error, StringComparison.Ordinal);
        Assert.Equal(["a.txt"], Directory.EnumerateFileSystemEntries(BackupDirectory).Select(Path.GetFileName));
    }

    private Task<VellumNode> StartAsync() =>
        VellumNode.StartAsync(new NodeOptions { DataDirectory = DataDirectory, Listen = new IPEndPoint(IPAddress.Loopback, 0), MaxChunkBytes = 4096 });

    private async Task WriteAsync(VellumNode node, int count)
    {
        using var service = X509Certificate2.CreateFromPem(node.ServiceCertificatePem);
        using var admin = X509Certificate2.CreateFromPemFile(Path.Combine(DataDirectory, "user_admin_cert.pem"), Path.Combine(DataDirectory, "user_admin_key.pem"));
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [admin],
                RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && ChainEndsAt(service, presented),
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

    private static bool ChainEndsAt(X509Certificate2 service, X509Certificate presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(service);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(presented);
        return chain.Build(leaf);
    }
}
