using System.Security.Cryptography;
using Vellum.Node.Backup;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Backup;

/// <summary>A backup goes only into a folder that is new, or holds a backup of the same ledger; a refused folder is left as it was.</summary>
public sealed class BackupFolderTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private string BackupDirectory => Path.Combine(_files.Path, "backup");

    [Fact]
    public async Task ABackupOfAnotherLedgerOfTheSameNameIsRefusedAndLeftAsItWas()
    {
        await using (var first = await StartWrittenAsync())
        {
            await LedgerBackup.RunAsync(first.DataDirectory, BackupDirectory, first.Node.Committed.Seqno);
        }

        var before = Snapshot(BackupDirectory);
        await using var other = await StartWrittenAsync();

        var refused = await Assert.ThrowsAsync<BackupException>(() => LedgerBackup.RunAsync(other.DataDirectory, BackupDirectory, other.Node.Committed.Seqno));

        Assert.Contains("holds a backup of another ledger", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(BackupDirectory));
        Assert.True((await BackupVerifier.VerifyAsync(BackupDirectory)).IsValid);
    }

    [Fact]
    public async Task ABackupOfAnotherLedgerWithNoChunkInCommonIsRefusedByItsServiceCertificate()
    {
        await using (var first = await StartWrittenAsync())
        {
            await LedgerBackup.RunAsync(first.DataDirectory, BackupDirectory, committedSeqno: 0);
        }

        var before = Snapshot(BackupDirectory);
        await using var other = await StartWrittenAsync();

        var refused = await Assert.ThrowsAsync<BackupException>(() => LedgerBackup.RunAsync(other.DataDirectory, BackupDirectory, other.Node.Committed.Seqno));

        Assert.Contains("its service certificate", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(BackupDirectory));
    }

    [Fact]
    public async Task AFolderHoldingFilesNoBackupHoldsIsRefusedBeforeAnythingIsWritten()
    {
        Directory.CreateDirectory(BackupDirectory);
        await File.WriteAllTextAsync(Path.Combine(BackupDirectory, "a.txt"), "hi");
        await File.WriteAllTextAsync(Path.Combine(BackupDirectory, "notes.tmp"), "a temporary-looking file of the user's");
        await using var node = await StartWrittenAsync();

        var refused = await Assert.ThrowsAsync<BackupException>(() => LedgerBackup.RunAsync(node.DataDirectory, BackupDirectory, node.Node.Committed.Seqno));

        Assert.Contains("not a file of a Vellum backup", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["a.txt", "notes.tmp"], Directory.EnumerateFileSystemEntries(BackupDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ABackupCutShortBeforeItsFirstManifestIsTakenOver()
    {
        await using var node = await StartWrittenAsync();
        await LedgerBackup.RunAsync(node.DataDirectory, BackupDirectory, node.Node.Committed.Seqno);
        File.Delete(Path.Combine(BackupDirectory, BackupManifest.FileName));
        await File.WriteAllTextAsync(Path.Combine(BackupDirectory, "ledger", "ledger_1-2.chunk" + ".tmp"), "half a copy");

        var result = await LedgerBackup.RunAsync(node.DataDirectory, BackupDirectory, node.Node.Committed.Seqno);

        Assert.True(result.Manifest.LastSeqno > 0);
        var verification = await BackupVerifier.VerifyAsync(BackupDirectory);
        Assert.True(verification.IsValid, verification.Reason);
    }

    [Fact]
    public async Task AScheduledBackupIntoAnotherLedgersBackupFailsAndLeavesItAsItWas()
    {
        await using (var first = await StartWrittenAsync())
        {
            await LedgerBackup.RunAsync(first.DataDirectory, BackupDirectory, first.Node.Committed.Seqno);
        }

        var before = Snapshot(BackupDirectory);
        await using var other = await StartWrittenAsync(BackupDirectory);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var outcome = await other.Node.ScheduledBackup!.WaitForRunAsync(timeout.Token);

        Assert.Contains("holds a backup of another ledger", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(BackupDirectory));
        using var response = await other.AdminClient().GetAsync("/node/state");
        var state = await TestNode.ReadJsonAsync(response);
        Assert.Equal("Failed", state.GetProperty("backup").GetProperty("status").GetString());
        Assert.Contains("holds a backup of another ledger", state.GetProperty("backup").GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static async Task<TestNode> StartWrittenAsync(string? backupDirectory = null)
    {
        var node = await TestNode.StartAsync(options => new NodeOptions
        {
            DataDirectory = options.DataDirectory,
            Listen = options.Listen,
            MaxChunkBytes = 4096,
            BackupDirectory = backupDirectory,
        });
        var client = node.AdminClient();
        for (var i = 0; i < 12; i++)
        {
            await TestNode.AppendAsync(client, new string('x', 1000), waitForCommit: i == 11);
        }

        return node;
    }

    // Every file of the folder with its SHA-256, to see that nothing was written or removed.
    private static List<string> Snapshot(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) != "LOCK")
            .Order(StringComparer.Ordinal)
            .Select(path => $"{Path.GetRelativePath(folder, path)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}")];
}
