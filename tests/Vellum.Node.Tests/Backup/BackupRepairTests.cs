using Vellum.Node.Backup;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Backup;

/// <summary>
/// A chunk damaged or lost in a backup is copied again from the data folder (a lost one by any
/// run, a damaged one by a run that rechecks), and a data folder whose chunk no longer matches
/// the backup's record replaces nothing.
/// </summary>
public sealed class BackupRepairTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private string DataDirectory => Path.Combine(_files.Path, "data");

    private string BackupDirectory => Path.Combine(_files.Path, "backup");

    private string FirstChunkName => Path.GetFileName(Directory.EnumerateFiles(Path.Combine(BackupDirectory, LedgerBackup.LedgerFolder)).Order(StringComparer.Ordinal).First());

    [Fact]
    public async Task ADamagedChunkIsCopiedAgainByARunThatRechecksAndTheBackupVerifiesAgain()
    {
        await TakeBackupAsync();
        var name = FirstChunkName;
        FlipAByte(Path.Combine(BackupDirectory, LedgerBackup.LedgerFolder, name));
        Assert.False((await BackupVerifier.VerifyAsync(BackupDirectory)).IsValid);

        var plain = await LedgerBackup.RunAsync(DataDirectory, BackupDirectory);
        Assert.Empty(plain.Repaired);
        Assert.False((await BackupVerifier.VerifyAsync(BackupDirectory)).IsValid);

        var rechecked = await LedgerBackup.RunAsync(DataDirectory, BackupDirectory, recheck: true);

        Assert.Equal([$"{LedgerBackup.LedgerFolder}/{name}"], rechecked.Repaired);
        var verification = await BackupVerifier.VerifyAsync(BackupDirectory);
        Assert.True(verification.IsValid, verification.Reason);
        Assert.Equal(0, (await LedgerBackup.RunAsync(DataDirectory, BackupDirectory, recheck: true)).CopiedFiles);
    }

    [Fact]
    public async Task AChunkLostFromTheBackupIsCopiedAgainByAnyRun()
    {
        await TakeBackupAsync();
        var name = FirstChunkName;
        File.Delete(Path.Combine(BackupDirectory, LedgerBackup.LedgerFolder, name));

        var result = await LedgerBackup.RunAsync(DataDirectory, BackupDirectory);

        Assert.Equal([$"{LedgerBackup.LedgerFolder}/{name}"], result.Repaired);
        Assert.True((await BackupVerifier.VerifyAsync(BackupDirectory)).IsValid);
    }

    [Fact]
    public async Task ADataFolderChunkThatNoLongerMatchesTheBackupsRecordIsRefusedAndReplacesNothing()
    {
        await TakeBackupAsync();
        var name = FirstChunkName;
        var backupCopy = Path.Combine(BackupDirectory, LedgerBackup.LedgerFolder, name);
        FlipAByte(backupCopy);
        var damagedCopy = await File.ReadAllBytesAsync(backupCopy);
        FlipAByte(Path.Combine(DataDirectory, LedgerBackup.LedgerFolder, name));

        var refused = await Assert.ThrowsAsync<BackupException>(() => LedgerBackup.RunAsync(DataDirectory, BackupDirectory, recheck: true));

        Assert.Contains("no longer matches the copy the backup recorded", refused.Message, StringComparison.Ordinal);
        Assert.Contains(name, refused.Message, StringComparison.Ordinal);
        Assert.Equal(damagedCopy, await File.ReadAllBytesAsync(backupCopy));
        Assert.Empty(Directory.EnumerateFiles(BackupDirectory, "*" + BackupFileCopy.TemporarySuffix, SearchOption.AllDirectories));
    }

    private async Task TakeBackupAsync()
    {
        await using (var node = await TestNode.StartAsync(
            options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, MaxChunkBytes = 4096 },
            DataDirectory))
        {
            for (var i = 0; i < 20; i++)
            {
                await TestNode.AppendAsync(node.AdminClient(), new string('x', 1000) + i, waitForCommit: i == 19);
            }
        }

        var result = await LedgerBackup.RunAsync(DataDirectory, BackupDirectory);
        Assert.True(result.Manifest.LastSeqno > 0, "the backup holds a chunk");
        Assert.Empty(result.Repaired);
    }

    private static void FlipAByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(path, bytes);
    }
}
