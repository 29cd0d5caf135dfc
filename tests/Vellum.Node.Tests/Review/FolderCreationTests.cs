using System.Net;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// A start on a folder without <c>vellum.json</c> creates a ledger only where no ledger's files
/// are, or where the creation mark says a first start was interrupted: a folder that lost its
/// settings file keeps its keys, secrets and chunks (docs/operations.md, "The data folder").
/// </summary>
public sealed class FolderCreationTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private string Data => Path.Combine(_files.Path, "data");

    [Theory]
    [InlineData(LedgerType.Public)]
    [InlineData(LedgerType.Private)]
    public async Task AFolderThatLostOnlyItsSettingsFileIsRefusedWithEveryFileLeftAsItWas(LedgerType type)
    {
        string written;
        await using (var node = await TestNode.StartAsync(options => WithType(options, type), Data))
        {
            written = await TestNode.AppendAsync(node.AdminClient(), "kept", waitForCommit: true);
        }

        var settings = await File.ReadAllBytesAsync(Path.Combine(Data, "vellum.json"));
        File.Delete(Path.Combine(Data, "vellum.json"));
        var before = Snapshot(Data);

        var refused = await Assert.ThrowsAsync<NodeStartException>(() => VellumNode.StartAsync(Options(type)));

        Assert.Contains("service_key.pem", refused.Message, StringComparison.Ordinal);
        Assert.Contains("ledger/", refused.Message, StringComparison.Ordinal);
        Assert.Contains("restore it", refused.Message, StringComparison.Ordinal);
        Assert.Contains("vellum recover", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(Data));

        // Given its settings file back, the ledger resumes with what it held.
        await File.WriteAllBytesAsync(Path.Combine(Data, "vellum.json"), settings);
        await using var resumed = await TestNode.StartAsync(options => WithType(options, type), Data);
        Assert.False(resumed.Node.Created);
        using var read = await resumed.AdminClient().GetAsync(TestNode.App($"/app/transactions/{written}"));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task AFolderHoldingOnlyKeysAndNoCreationMarkIsRefusedRatherThanGivenNewKeys()
    {
        await (await TestNode.StartAsync(dataDirectory: Data)).DisposeAsync();
        File.Delete(Path.Combine(Data, "vellum.json"));
        Directory.Delete(Path.Combine(Data, "ledger"), recursive: true);
        var serviceKey = await File.ReadAllBytesAsync(Path.Combine(Data, "service_key.pem"));

        var refused = await Assert.ThrowsAsync<NodeStartException>(() => VellumNode.StartAsync(Options(null)));

        Assert.DoesNotContain("ledger/", refused.Message, StringComparison.Ordinal);
        Assert.Equal(serviceKey, await File.ReadAllBytesAsync(Path.Combine(Data, "service_key.pem")));
    }

    [Fact]
    public async Task AnInterruptedFirstStartWhoseFolderHoldsChunksIsRefusedAllTheSame()
    {
        await (await TestNode.StartAsync(dataDirectory: Data)).DisposeAsync();
        File.Delete(Path.Combine(Data, "vellum.json"));
        await File.WriteAllTextAsync(Path.Combine(Data, "CREATING"), "start\n");

        var refused = await Assert.ThrowsAsync<NodeStartException>(() => VellumNode.StartAsync(Options(null)));

        Assert.Contains("ledger/", refused.Message, StringComparison.Ordinal);
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(Data, "ledger")));
    }

    [Fact]
    public async Task AnInterruptedRecoveryIsNotRedoneAsAFirstStart()
    {
        Directory.CreateDirectory(Path.Combine(Data, "ledger"));
        await File.WriteAllTextAsync(Path.Combine(Data, "ledger", "ledger_1-4.committed"), "restored");
        await File.WriteAllTextAsync(Path.Combine(Data, "CREATING"), "recover\n");

        var refused = await Assert.ThrowsAsync<NodeStartException>(() => VellumNode.StartAsync(Options(null)));

        Assert.Contains("run vellum recover again", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Data, "service_key.pem")));
    }

    [Fact]
    public async Task AFirstStartInAnEmptyFolderCreatesTheLedgerAndLeavesNoCreationMark()
    {
        Directory.CreateDirectory(Data);

        await using var node = await TestNode.StartAsync(dataDirectory: Data);

        Assert.True(node.Node.Created);
        Assert.True(File.Exists(Path.Combine(Data, "vellum.json")));
        Assert.False(File.Exists(Path.Combine(Data, "CREATING")), "The creation mark outlived vellum.json: a later loss of vellum.json would be taken for an interrupted first start.");
    }

    private NodeOptions Options(LedgerType? type) => new() { DataDirectory = Data, Listen = new IPEndPoint(IPAddress.Loopback, 0), LedgerType = type };

    private static NodeOptions WithType(NodeOptions options, LedgerType type) => new() { DataDirectory = options.DataDirectory, Listen = options.Listen, LedgerType = type };

    // Every file's path and contents but the lock's, which the refused start may take and release.
    private static SortedDictionary<string, string> Snapshot(string directory) => new(
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) != "LOCK")
            .ToDictionary(path => Path.GetRelativePath(directory, path), path => Convert.ToHexString(File.ReadAllBytes(path))),
        StringComparer.Ordinal);
}
