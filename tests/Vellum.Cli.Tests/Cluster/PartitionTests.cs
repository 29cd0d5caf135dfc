using Xunit.Abstractions;

namespace Vellum.Cli.Tests.Cluster;

/// <summary>Three <c>vellum</c> processes whose links pass through a fault-injecting proxy, cut and healed under write load.</summary>
[Collection(RealClusters.Name)]
public sealed class PartitionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ABackupCutOffFromTheOthersCatchesUpWhenHealedWithoutDisturbingThePrimary()
    {
        await using var cluster = await ProcessCluster.StartAsync(3, throughProxy: true);
        await using var load = ClusterLoad.Start(cluster);
        await load.WaitForCommitsAsync(50, "50 committed writes before the cut");
        var primary = await cluster.WaitForPrimaryAsync(cluster.Nodes.Select(node => node.Index));
        var view = (await cluster.StateAsync(primary))!.View;
        var backup = (primary + 1) % 3;

        cluster.Proxy!.Isolate(backup);
        await load.WaitForCommitsAsync(100, "the majority to commit 100 writes without the backup");
        var committedWithoutIt = load.Committed.Max(write => write.Id.Seqno);
        Assert.True((await cluster.StateAsync(backup))!.CommittedSeqno < committedWithoutIt, "The cut-off backup learnt of commits it cannot have heard of.");
        cluster.Proxy.HealAll();
        await load.WaitForCommitsAsync(50, "50 more writes committed after healing");
        await load.StopAsync();

        await ClusterAudit.AssertConsistentAsync(cluster, load);

        // Pre-vote kept the cut-off backup from forcing an election when it came back.
        Assert.Equal(new NodeStateView(true, view), Summarize(await cluster.StateAsync(primary)));
        output.WriteLine($"{load.Accepted.Count} writes answered, {load.Committed.Count()} answered committed, all in view {view}.");
    }

    [Fact]
    public async Task APrimaryCutOffFromTheMajorityIsReplacedStepsDownAndLosesOnlyWhatNeverCommitted()
    {
        await using var cluster = await ProcessCluster.StartAsync(3, throughProxy: true);
        await using var load = ClusterLoad.Start(cluster);
        await load.WaitForCommitsAsync(50, "50 committed writes before the cut");
        var primary = await cluster.WaitForPrimaryAsync(cluster.Nodes.Select(node => node.Index));
        var view = (await cluster.StateAsync(primary))!.View;

        cluster.Proxy!.Isolate(primary);
        await load.WaitForCommitsAsync(50, "the majority to elect a primary and commit 50 writes", write => write.Node != primary && write.Id.View > view);

        // Check-quorum: cut off from every voter, the old primary stops calling itself primary.
        await cluster.WaitUntilAsync(async () => await cluster.StateAsync(primary) is { Primary: false }, "the cut-off primary to step down");
        cluster.Proxy.HealAll();
        await cluster.WaitUntilAsync(async () => await cluster.StateAsync(primary) is { } state && state.View > view, "the old primary to learn the new view");
        await load.WaitForCommitsAsync(50, "50 more writes committed after healing");
        await load.StopAsync();

        await ClusterAudit.AssertConsistentAsync(cluster, load);
        var answeredByOld = load.Accepted.Count(write => write.Node == primary && write.Id.View == view);
        output.WriteLine($"{load.Accepted.Count} writes answered, {load.Committed.Count()} answered committed; the old primary answered {answeredByOld} in view {view}.");
    }

    private static NodeStateView? Summarize(NodeState? state) => state is null ? null : new NodeStateView(state.Primary, state.View);

    private sealed record NodeStateView(bool Primary, long View);
}
