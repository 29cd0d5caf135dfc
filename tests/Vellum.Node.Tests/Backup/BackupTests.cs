using Vellum.Node.Backup;
using Vellum.Node.Tests.Support;
using Vellum.Storage;

namespace Vellum.Node.Tests.Backup;

/// <summary>Backups of a live node: what they copy, that they verify, and that what they hold opens as a ledger.</summary>
public sealed class BackupTests : IDisposable
{
    private const long SmallChunkBytes = 4096;
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private string BackupDirectory => Path.Combine(_files.Path, "backup");

    private static NodeOptions SmallChunks(NodeOptions options) => new()
    {
        DataDirectory = options.DataDirectory,
        Listen = options.Listen,
        MaxChunkBytes = SmallChunkBytes,
    };

    [Fact]
    public async Task BackupOfALiveNodeUnderWritesVerifiesAndHoldsOnlyCommittedClosedChunks()
    {
        await using var node = await TestNode.StartAsync(SmallChunks);
        var client = node.AdminClient();
        await WriteAsync(client, 20);
        using var stop = new CancellationTokenSource();
        var writing = KeepWritingAsync(client, stop.Token);

        var result = await LedgerBackup.RunAsync(node.DataDirectory, BackupDirectory, node.Node.Committed.Seqno);
        await stop.CancelAsync();
        await writing;

        Assert.True(result.Manifest.LastSeqno > 2, $"the backup holds seqnos up to {result.Manifest.LastSeqno}");
        Assert.True(result.Manifest.LastSeqno <= node.Node.Committed.Seqno);
        var verification = await BackupVerifier.VerifyAsync(BackupDirectory);
        Assert.True(verification.IsValid, verification.Reason);
        Assert.DoesNotContain(result.Manifest.Files, file => file.Path.Contains("key", StringComparison.Ordinal) || file.Path.EndsWith(".open", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(BackupDirectory, "service_secret.key")));
    }

    [Fact]
    public async Task SecondBackupCopiesOnlyTheChunksClosedSinceTheFirst()
    {
        await using var node = await TestNode.StartAsync(SmallChunks);
        var client = node.AdminClient();
        await WriteAsync(client, 20);
        var first = await LedgerBackup.RunAsync(node.DataDirectory, BackupDirectory, node.Node.Committed.Seqno);
        var unchanged = await LedgerBackup.RunAsync(node.DataDirectory, BackupDirectory, node.Node.Committed.Seqno);
        Assert.Equal(0, unchanged.CopiedFiles);

        await WriteAsync(client, 20);
        var second = await LedgerBackup.RunAsync(node.DataDirectory, BackupDirectory, node.Node.Committed.Seqno);

        var newChunks = second.Manifest.Files.Count - first.Manifest.Files.Count;
        Assert.True(newChunks > 0);
        Assert.Equal(newChunks, second.CopiedFiles);
        Assert.True(second.Manifest.LastSeqno > first.Manifest.LastSeqno);
        Assert.True((await BackupVerifier.VerifyAsync(BackupDirectory)).IsValid);
    }

    [Fact]
    public async Task ScheduledBackupProducesAVerifyingBackup()
    {
        await using var node = await TestNode.StartAsync(options => new NodeOptions
        {
            DataDirectory = options.DataDirectory,
            Listen = options.Listen,
            MaxChunkBytes = SmallChunkBytes,
            BackupDirectory = BackupDirectory,
            BackupInterval = TimeSpan.FromMilliseconds(50),
        });
        await WriteAsync(node.AdminClient(), 20);
        var closedAndCommitted = ClosedChunkEnds(node.DataDirectory).Where(last => last <= node.Node.Committed.Seqno).Max();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await node.Node.ScheduledBackup!.WaitCoveredAsync(closedAndCommitted, timeout.Token);

        var verification = await BackupVerifier.VerifyAsync(BackupDirectory);
        Assert.True(verification.IsValid, verification.Reason);
        Assert.True(verification.Manifest!.LastSeqno >= closedAndCommitted);
        using var response = await node.AdminClient().GetAsync("/node/state");
        var backup = (await TestNode.ReadJsonAsync(response)).GetProperty("backup");
        Assert.Equal("Succeeded", backup.GetProperty("status").GetString());
        Assert.True(backup.GetProperty("lastSeqno").GetInt64() >= closedAndCommitted);
    }

    [Fact]
    public async Task BackupOpensAsALedgerThatReadsEveryEntry()
    {
        long lastSeqno;
        await using (var node = await TestNode.StartAsync(SmallChunks))
        {
            await WriteAsync(node.AdminClient(), 20);
            lastSeqno = (await LedgerBackup.RunAsync(node.DataDirectory, BackupDirectory, node.Node.Committed.Seqno)).Manifest.LastSeqno;
        }

        // Opening a ledger writes its tree and checkpoint beside the chunks: it opens a copy.
        var copy = Path.Combine(_files.Path, "opened");
        Directory.CreateDirectory(copy);
        foreach (var chunk in Directory.EnumerateFiles(Path.Combine(BackupDirectory, LedgerBackup.LedgerFolder)))
        {
            File.Copy(chunk, Path.Combine(copy, Path.GetFileName(chunk)));
        }

        await using var ledger = await Ledger.OpenAsync(new LedgerOptions { Directory = copy });
        Assert.Equal(lastSeqno, ledger.LastSeqno);
        await ledger.VerifyAsync();
        for (var seqno = 1L; seqno <= lastSeqno; seqno++)
        {
            Assert.NotEmpty(ledger.ReadEntry(seqno));
        }
    }

    [Fact]
    public async Task ABackupOfAPrivateLedgerHoldsNeitherItsContentsNorItsSecretsAndVerifiesWithoutThem()
    {
        const string marker = "private-marker-5d1e";
        await using var node = await TestNode.StartAsync(options => new NodeOptions
        {
            DataDirectory = options.DataDirectory,
            Listen = options.Listen,
            MaxChunkBytes = SmallChunkBytes,
            LedgerType = LedgerType.Private,
        });
        for (var i = 0; i < 20; i++)
        {
            await TestNode.AppendAsync(node.AdminClient(), $"{marker} {i} " + new string('z', 500), waitForCommit: i == 19);
        }

        var result = await LedgerBackup.RunAsync(node.DataDirectory, BackupDirectory, node.Node.Committed.Seqno);

        Assert.Contains(result.Manifest.Files, file => file.Path.StartsWith(LedgerBackup.LedgerFolder, StringComparison.Ordinal));
        var needle = System.Text.Encoding.UTF8.GetBytes(marker);
        foreach (var file in Directory.EnumerateFiles(BackupDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(needle) < 0, $"{file} holds a private entry's contents in the clear");
            Assert.DoesNotContain("secret", Path.GetFileName(file), StringComparison.Ordinal);
        }

        Assert.True((await BackupVerifier.VerifyAsync(BackupDirectory)).IsValid);
    }

    private static IEnumerable<long> ClosedChunkEnds(string dataDirectory) =>
        Directory.EnumerateFiles(Path.Combine(dataDirectory, "ledger"))
            .Select(path => ClosedChunkFiles.TryParseName(Path.GetFileName(path), out _, out var last) ? last : 0);

    private static async Task WriteAsync(HttpClient client, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await TestNode.AppendAsync(client, new string('x', 1000) + i, waitForCommit: i == count - 1);
        }
    }

    private static async Task KeepWritingAsync(HttpClient client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await TestNode.AppendAsync(client, new string('y', 500));
        }
    }
}
