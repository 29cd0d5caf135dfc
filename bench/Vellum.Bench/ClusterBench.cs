using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Vellum.Bench;

/// <summary>
/// Writes over HTTPS to one node and to the primary of a three-node cluster, against a minimal
/// Kestrel endpoint with the same TLS setup, all driven by the same load generator with the same
/// connections and body. Each load shape runs on the floor, the node and the cluster back to
/// back, so the three share the machine's mood of the moment.
/// </summary>
internal static class ClusterBench
{
    private const string Floor = "kestrel https";
    private const int ContentsChars = 100;

    private static readonly LoadShape[] Shapes =
    [
        new("append", 32, WaitForCommit: false),
        new("commit wait", 32, WaitForCommit: true),
        new("commit wait", 8, WaitForCommit: true),
        new("commit wait", 1, WaitForCommit: true),
    ];

    public static async Task RunAsync(BenchSettings settings)
    {
        // After the first pass, each shape runs in rounds alternating the three targets, and the
        // best round of each is kept: the machine is shared, and a neighbour's burst should cost
        // one round, not the result.
        var rounds = settings.Quick ? 1 : 2;
        var warmup = TimeSpan.FromSeconds(0.5);
        var measure = TimeSpan.FromSeconds(settings.Quick ? 1.5 : 3);
        var firstPass = TimeSpan.FromSeconds(settings.Quick ? 1 : 3);
        var body = Encoding.UTF8.GetBytes($"{{\"contents\":\"{new string('v', ContentsChars)}\"}}");
        var root = settings.FreshDirectory("cluster");

        // Warnings and worse only: a failing node must be visible, routine progress must not drown the report.
        using var logging = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(console => console.SingleLine = true)
            .SetMinimumLevel(LogLevel.Warning)

            // Peers refuse connections until they start and drop them as they stop: expected here, and reported as warnings.
            .AddFilter("Vellum.Node.Replication.PeerNetwork", LogLevel.Error));
        await using var single = await BenchCluster.StartAsync(Path.Combine(root, "single"), 1, logging);
        var watch = Stopwatch.StartNew();
        await using var cluster = await BenchCluster.StartAsync(Path.Combine(root, "three"), 3, logging);
        var clusterReady = watch.Elapsed;
        await using var floor = await KestrelFloor.StartAsync(single.Nodes[0].DataDirectory);
        using var floorClient = HttpLoad.CreateClient(floor.BaseAddress, single.Admin, single.ServiceCertificate);
        var targets = new ClusterTargets(floorClient, single, single.PrimaryClient(), cluster, cluster.PrimaryClient());
        PrintSetup(root, body.Length, clusterReady, rounds, warmup, measure);

        // An unreported pass first: tiered compilation keeps recompiling hot code (with profile
        // guidance) for many seconds under load, and would otherwise tax whichever target ran first.
        foreach (var shape in Shapes.Take(2))
        {
            await MeasureShapeAsync(targets, shape, body, rounds: 1, firstPass, firstPass);
        }

        foreach (var shape in Shapes)
        {
            var (floorResult, singleRun, clusterRun) = await MeasureShapeAsync(targets, shape, body, rounds, warmup, measure);
            Print(shape, floorResult, singleRun.Load, clusterRun.Load);
            Report.Line(string.Create(
                CultureInfo.InvariantCulture,
                $"{string.Empty,-44} CPU per request, whole process: floor {floorResult.CpuMicrosecondsPerRequest:N0} µs, 1 node {singleRun.Load.CpuMicrosecondsPerRequest:N0} µs, 3 nodes {clusterRun.Load.CpuMicrosecondsPerRequest:N0} µs; writes per signature: 1 node {singleRun.WritesPerSignature:0.0}, 3 nodes {clusterRun.WritesPerSignature:0.0}"));
        }

        if (!cluster.CheckPrimaryKept())
        {
            Report.Line("warning: the cluster's primary changed during the run, so its numbers include an election.");
        }
    }

    /// <summary>Runs <paramref name="shape"/> on the floor, the node and the cluster in turn, <paramref name="rounds"/> times, keeping each one's fastest round.</summary>
    private static async Task<(LoadResult Floor, ClusterRun Single, ClusterRun Cluster)> MeasureShapeAsync(ClusterTargets targets, LoadShape shape, byte[] body, int rounds, TimeSpan warmup, TimeSpan measure)
    {
        LoadResult? floor = null;
        ClusterRun? single = null, cluster = null;
        for (var round = 0; round < rounds; round++)
        {
            var floorRound = await HttpLoad.RunAsync(targets.Floor, shape, body, warmup, measure);
            floor = LoadResult.Faster(floor, floorRound);
            var singleRound = await MeasureAsync(targets.Single, targets.SingleClient, shape, body, warmup, measure);
            single = single is null || singleRound.Load.RequestsPerSecond > single.Load.RequestsPerSecond ? singleRound : single;
            var clusterRound = await MeasureAsync(targets.Cluster, targets.ClusterClient, shape, body, warmup, measure);
            cluster = cluster is null || clusterRound.Load.RequestsPerSecond > cluster.Load.RequestsPerSecond ? clusterRound : cluster;
        }

        return (floor!, single!, cluster!);
    }

    private static void PrintSetup(string root, int bodyBytes, TimeSpan clusterReady, int rounds, TimeSpan warmup, TimeSpan measure)
    {
        var (fsyncP50, fsyncP99, _) = FsyncProbe.Measure(root, TimeSpan.FromSeconds(1));
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
        Report.Line(string.Create(
            CultureInfo.InvariantCulture,
            $"cluster: HTTP/1.1, one TLS 1.3 connection per client, {bodyBytes}-byte body; best of {rounds} round(s) of {warmup.TotalSeconds:0.0} s warm-up and {measure.TotalSeconds:0.0} s measured; 3 nodes joined and voters in {clusterReady.TotalSeconds:0.0} s"));
        Report.Line(string.Create(
            CultureInfo.InvariantCulture,
            $"cluster: append+fsync on the scratch disk p50 {fsyncP50:0.00} ms, p99 {fsyncP99:0.00} ms; load average {load} on {Environment.ProcessorCount} cores before the run"));
    }

    /// <summary>Runs the load, drains it, and counts the signatures the primary appended meanwhile: every entry that is not a write.</summary>
    private static async Task<ClusterRun> MeasureAsync(BenchCluster nodes, HttpClient client, LoadShape shape, byte[] body, TimeSpan warmup, TimeSpan measure)
    {
        var before = nodes.Primary.Node.Ledger.LastSeqno;
        var result = await HttpLoad.RunAsync(client, shape, body, warmup, measure);
        await nodes.DrainAsync(client, body);
        var writes = result.Sent + 1;
        var signatures = nodes.Primary.Node.Ledger.LastSeqno - before - writes;
        return new ClusterRun(result, writes / (double)Math.Max(1, signatures));
    }

    private static void Print(LoadShape shape, LoadResult floor, LoadResult single, LoadResult cluster)
    {
        var load = $"{shape.Name}, {shape.Clients} client{(shape.Clients == 1 ? string.Empty : "s")}";
        var unit = shape.WaitForCommit ? "commits/s" : "writes/s ";
        Report.Rate($"1 node, {load}", single.RequestsPerSecond, unit, Floor, floor.RequestsPerSecond);
        Report.Rate($"3 nodes, {load}", cluster.RequestsPerSecond, unit, Floor, floor.RequestsPerSecond);
        Report.Rate($"3 nodes / 1 node, {load}", cluster.RequestsPerSecond, unit, "1 node", single.RequestsPerSecond);
        Report.Latency($"1 node, {load}", single, Floor, floor);
        Report.Latency($"3 nodes, {load}", cluster, Floor, floor);
    }
}
