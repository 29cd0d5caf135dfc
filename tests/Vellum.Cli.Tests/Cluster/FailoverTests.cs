using Xunit.Abstractions;

namespace Vellum.Cli.Tests.Cluster;

/// <summary>Three <c>vellum</c> processes under write load; the primary is killed with SIGKILL.</summary>
[Collection(RealClusters.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    // The default election timeout is 1 s; a new primary must be accepting writes a few seconds
    // after the old one died, not after a client's patience runs out. The bound is generous
    // for a shared 2-core machine; the measured time is printed.
    private static readonly TimeSpan FailoverBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AKilledPrimaryIsReplacedAndNothingCommittedIsLostAndItCatchesUpWhenRestarted()
    {
        await using var cluster = await ProcessCluster.StartAsync(3, throughProxy: false);
        await using var load = ClusterLoad.Start(cluster);
        await load.WaitForCommitsAsync(100, "100 committed writes before the kill");
        var killed = await cluster.WaitForPrimaryAsync(cluster.Nodes.Select(node => node.Index));
        var killedView = (await cluster.StateAsync(killed))!.View;

        await cluster.Nodes[killed].KillAsync();
        var killedAt = DateTime.UtcNow;
        var committedBeforeKill = load.Committed.Where(write => write.At <= killedAt).ToList();
        await load.WaitForCommitsAsync(1, "a write committed by a new primary", write => write.Node != killed && write.Id.View > killedView);
        var failover = load.Committed.Where(write => write.Id.View > killedView).Min(write => write.At) - killedAt;
        output.WriteLine($"Writes were committed again {failover.TotalMilliseconds:F0} ms after the primary was killed.");
        Assert.True(failover < FailoverBound, $"Writes were committed again only {failover} after the kill.\n{cluster.Outputs()}");

        await load.WaitForCommitsAsync(100, "100 writes committed after the failover");
        await cluster.Nodes[killed].RestartAsync();
        await load.WaitForCommitsAsync(50, "50 writes committed with the killed node back");
        await load.StopAsync();

        Assert.NotEmpty(committedBeforeKill);
        await ClusterAudit.AssertConsistentAsync(cluster, load);
        output.WriteLine($"{load.Accepted.Count} writes answered, {load.Committed.Count()} answered committed, {committedBeforeKill.Count} of them before the kill.");
    }
}
