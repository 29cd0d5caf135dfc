using System.Net;
using Vellum.Node.Backup;
using Vellum.Node.Recovery;
using Vellum.Node.Setup;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Recovery;

/// <summary>
/// What <c>vellum recover</c> leaves in its new data folder when it fails or is refused (nothing
/// of its own), and how it treats a folder holding what an interrupted recovery left.
/// </summary>
public sealed class RecoveryFolderTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private string Backup => Path.Combine(_files.Path, "backup");

    private string Target => Path.Combine(_files.Path, "recovered");

    [Fact]
    public async Task AFailedRecoveryIntoAFolderItMadeRemovesTheFolder()
    {
        await BackUpAsync(closeChunks: false);

        var failed = await Assert.ThrowsAsync<NodeStartException>(() => RecoverySetup.PrepareAsync(Backup, Options()));

        Assert.Contains("nothing to recover", failed.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Target), $"The failed recovery left {string.Join(", ", Entries())}.");
    }

    [Fact]
    public async Task AFailedRecoveryIntoAnEmptyFolderLeavesItEmptySoThatAFirstStartThereCreatesALedger()
    {
        await BackUpAsync(closeChunks: false);
        Directory.CreateDirectory(Target);

        await Assert.ThrowsAsync<NodeStartException>(() => RecoverySetup.PrepareAsync(Backup, Options()));

        Assert.Empty(Entries());
        await using var node = await TestNode.StartAsync(dataDirectory: Target);
        Assert.True(node.Node.Created);
    }

    [Fact]
    public async Task ARecoveryRefusedBecauseTheFolderHoldsKeysLeavesThemAndAddsNothing()
    {
        await BackUpAsync(closeChunks: true);
        Directory.CreateDirectory(Target);
        await File.WriteAllTextAsync(Path.Combine(Target, "service_key.pem"), "someone's key");

        var refused = await Assert.ThrowsAsync<NodeStartException>(() => RecoverySetup.PrepareAsync(Backup, Options()));

        Assert.Contains("service_key.pem", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["service_key.pem"], Entries());
        Assert.Equal("someone's key", await File.ReadAllTextAsync(Path.Combine(Target, "service_key.pem")));
    }

    [Fact]
    public async Task ARecoveryInterruptedPartWayIsRedoneByTheNextOne()
    {
        await BackUpAsync(closeChunks: true);
        Directory.CreateDirectory(Path.Combine(Target, "ledger"));
        await File.WriteAllTextAsync(Path.Combine(Target, "ledger", "ledger_1-4.committed"), "half copied");
        await File.WriteAllTextAsync(Path.Combine(Target, "previous_service_cert.pem"), "half written");
        await File.WriteAllTextAsync(Path.Combine(Target, "CREATING"), "recover\n");

        var last = await RecoverySetup.PrepareAsync(Backup, Options());

        Assert.True(last > 0);
        Assert.False(File.Exists(Path.Combine(Target, "CREATING")));
        Assert.False(File.Exists(Path.Combine(Target, "ledger", "ledger_1-4.committed")));
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(Backup, "service_cert.pem")), await File.ReadAllTextAsync(Path.Combine(Target, "previous_service_cert.pem")));
        Assert.True(RecoverySetup.AwaitsShares(new DataDirectory(Target)));
    }

    // A backup of a node that wrote a few entries; with closeChunks, in chunks small enough to
    // close, so that the backup holds them; without, the backup holds no chunk.
    private async Task BackUpAsync(bool closeChunks)
    {
        await using var node = await TestNode.StartAsync(options => new NodeOptions
        {
            DataDirectory = options.DataDirectory,
            Listen = options.Listen,
            MaxChunkBytes = closeChunks ? 4096 : new NodeOptions().MaxChunkBytes,
        });
        for (var i = 0; i < 20; i++)
        {
            await TestNode.AppendAsync(node.AdminClient(), $"entry {i} " + new string('x', 300), waitForCommit: true);
        }

        await LedgerBackup.RunAsync(node.DataDirectory, Backup, node.Node.Committed.Seqno);
    }

    private NodeOptions Options() => new() { DataDirectory = Target, Listen = new IPEndPoint(IPAddress.Loopback, 0) };

    private List<string> Entries() => Directory.Exists(Target)
        ? Directory.EnumerateFileSystemEntries(Target, "*", SearchOption.AllDirectories).Select(path => Path.GetRelativePath(Target, path)).Order(StringComparer.Ordinal).ToList()
        : [];
}
