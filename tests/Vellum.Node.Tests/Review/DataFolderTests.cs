using System.Net;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Review;

/// <summary>
/// What a start writes into the data folder, when it must not write (another node runs there),
/// and what a first start interrupted just before its settings file leaves for the next attempt
/// (<see cref="FolderCreationTests"/> has a folder that merely lost its settings file).
/// docs/operations.md: <c>node_cert.pem</c> is the node's TLS and signing certificate, and
/// <c>user_admin_*.pem</c> are absent with <c>--admin-cert</c>.
/// </summary>
public sealed class DataFolderTests
{
    [Fact]
    public async Task AStartRefusedBecauseANodeRunsOnTheFolderLeavesThatNodesCertificateFileAlone()
    {
        await using var running = await TestNode.StartAsync();
        var nodeCertificate = Path.Combine(running.DataDirectory, "node_cert.pem");
        var before = await File.ReadAllTextAsync(nodeCertificate);

        await Assert.ThrowsAsync<NodeStartException>(() => VellumNode.StartAsync(new NodeOptions
        {
            DataDirectory = running.DataDirectory,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
        }));

        Assert.True(before == await File.ReadAllTextAsync(nodeCertificate), "The refused start replaced node_cert.pem, which no longer is the certificate the running node serves and signs with.");
    }

    [Fact]
    public async Task ANodeSavesItsCommitIndexWhenItStopsAndRefusesToStartOnADamagedSave()
    {
        using var files = new TemporaryDirectory();
        var directory = Path.Combine(files.Path, "data");
        var node = await TestNode.StartAsync(dataDirectory: directory);
        await TestNode.AppendAsync(node.AdminClient(), "saved", waitForCommit: true);
        await node.DisposeAsync();

        // Saved when it stopped: what the node last knew committed, stopping included.
        var commitPoint = Path.Combine(directory, "commit_point.json");
        Assert.Equal($"{{\"committedSeqno\":{node.Node.Committed.Seqno}}}", await File.ReadAllTextAsync(commitPoint));

        await File.WriteAllTextAsync(commitPoint, "{\"committedSeqno\":");
        var refused = await Assert.ThrowsAsync<NodeStartException>(() => VellumNode.StartAsync(new NodeOptions { DataDirectory = directory, Listen = new IPEndPoint(IPAddress.Loopback, 0) }));
        Assert.Contains("commit_point.json is damaged", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFirstStartRedoneWithAdminCertAfterAnInterruptedOneAdvertisesNoPowerlessAdministratorKey()
    {
        using var files = new TemporaryDirectory();
        var directory = Path.Combine(files.Path, "data");
        await (await TestNode.StartAsync(dataDirectory: directory)).DisposeAsync();

        // A first start killed just before writing vellum.json leaves every other file, its
        // creation mark, and no ledger yet.
        File.Delete(Path.Combine(directory, "vellum.json"));
        Directory.Delete(Path.Combine(directory, "ledger"), recursive: true);
        await File.WriteAllTextAsync(Path.Combine(directory, "CREATING"), "start\n");

        using var operator_ = TestCertificates.CreateEc("Operator");
        await using var node = await VellumNode.StartAsync(new NodeOptions
        {
            DataDirectory = directory,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            AdminCertificate = operator_,
        });

        Assert.True(node.Created);
        Assert.True(
            node.CreatedAdministrator is null && !File.Exists(Path.Combine(directory, "user_admin_key.pem")),
            "With --admin-cert the node reports (and vellum start prints a curl line with) user_admin_key.pem from the interrupted attempt, a key that is no user of this ledger.");
    }
}
