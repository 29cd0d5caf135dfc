using System.Net;
using Vellum.Node.Tests.Support;
using Vellum.Storage.Files;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// A node whose ledger failed while it ran (a full disk) still stops cleanly when told to: it
/// reports the fault instead of throwing it from its shutdown, and releases its data folder, so
/// that it starts again on the same folder once the disk has room (docs/operations.md, "Starting").
/// </summary>
public sealed class FaultedNodeStopTests
{
    [Fact]
    public async Task ANodeWhoseDiskFilledStopsWithoutThrowingSaysWhyAndStartsAgainOnItsFolder()
    {
        using var files = new TemporaryDirectory();
        var data = Path.Combine(files.Path, "data");
        var disk = new FullDiskFileSystem(DiskFileSystem.Instance);
        var node = await TestNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, LedgerFileSystem = disk }, data);
        string committed;
        try
        {
            committed = await TestNode.AppendAsync(node.AdminClient(), "committed before the disk filled", waitForCommit: true);
            disk.Fill();
            using var refused = await node.AdminClient().PostAsync(TestNode.App("/app/transactions?waitForCommit=true"), TestNode.Json("{\"contents\":\"finds the disk full\"}"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Contains("No space left on device", node.Node.Fault?.ToString() ?? "no fault", StringComparison.Ordinal);
        }
        finally
        {
            // The stop must not throw the ledger's fault; the test fails here if it does.
            await node.DisposeAsync();
        }

        await using var restarted = await TestNode.StartAsync(dataDirectory: data);
        Assert.Null(restarted.Node.Fault);
        using var read = await restarted.AdminClient().GetAsync(TestNode.App($"/app/transactions/{committed}"));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }
}
