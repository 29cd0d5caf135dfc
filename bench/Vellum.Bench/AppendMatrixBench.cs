using System.Globalization;
using System.Net;

namespace Vellum.Bench;

/// <summary>
/// Single-node appends over HTTPS, for 100-byte and 4 KiB contents, from 1, 16 and 64 clients,
/// over HTTP/1.1 and HTTP/2, against the HTTP floor (same TLS, client certificate, load generator
/// and connections) and against PostgreSQL holding a hash-chained table written by as many
/// clients with synchronous commit.
/// </summary>
internal static class AppendMatrixBench
{
    private const string PostgresName = "postgres chain";
    private static readonly int[] ContentSizes = [100, 4096];
    private static readonly int[] ClientCounts = [1, 16, 64];
    private static readonly Version[] Versions = [HttpVersion.Version11, HttpVersion.Version20];

    public static async Task RunAsync(BenchSettings settings)
    {
        var timing = LoadTiming.For(settings);
        var rounds = settings.Quick ? 1 : 2;
        var root = settings.FreshDirectory("appends");
        await using var rig = await SingleNodeRig.StartAsync(Path.Combine(root, "node"));
        await using var postgres = PostgresFloor.IsInstalled ? await PostgresFloor.StartAsync(Path.Combine(root, "postgres"), ClientCounts.Max()) : null;
        if (postgres is null)
        {
            Report.Line("appends: PostgreSQL 15 is not installed under /usr/lib/postgresql/15/bin; its floor is left out.");
        }

        var clients = Versions.ToDictionary(version => version, version => (Node: rig.NodeClient(version), Floor: rig.FloorClient(version)));
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"appends: 1 node; best of {rounds} round(s) of {timing.Warmup.TotalSeconds:0.0} s warm-up and {timing.Measure.TotalSeconds:0.0} s measured per load, floor and node alternating; HTTP/1.1 one connection per client, HTTP/2 one connection shared as streams"));

        // An unreported pass first, so that tiered compilation does not tax whichever load runs first.
        var warm = new LoadShape("warm-up", 16, WaitForCommit: false);
        await HttpLoad.RunAsync(clients[HttpVersion.Version11].Floor, warm, SingleNodeRig.AppendBody(100), timing.Warmup, timing.Measure);
        await HttpLoad.RunAsync(clients[HttpVersion.Version11].Node, warm, SingleNodeRig.AppendBody(100), timing.Warmup, timing.Measure);

        foreach (var size in ContentSizes)
        {
            var body = SingleNodeRig.AppendBody(size);
            var contents = new byte[size];
            Array.Fill(contents, (byte)'v');
            foreach (var count in ClientCounts)
            {
                var shape = new LoadShape("append", count, WaitForCommit: false);
                LoadResult? chained = null;
                if (postgres is not null)
                {
                    chained = await postgres.RunAsync(count, contents, timing.Warmup, timing.Measure);
                    await postgres.TruncateAsync();
                }

                foreach (var version in Versions)
                {
                    var (node, floor) = await BestOfRoundsAsync(rig, clients[version], shape, body, timing, rounds);
                    Print(Name("append", size, count, version), node, floor, chained);
                }

                // The like-for-like comparison with PostgreSQL: answered once the write is durable (on a majority, here the one node).
                var committing = shape with { Name = "commit wait", WaitForCommit = true };
                var (committed, committedFloor) = await BestOfRoundsAsync(rig, clients[HttpVersion.Version11], committing, body, timing, rounds);
                Print(Name("commit wait", size, count, HttpVersion.Version11), committed, committedFloor, chained);
            }
        }
    }

    /// <summary>
    /// Runs the load on the floor and on the node in turn, <paramref name="rounds"/> times, keeping
    /// each one's fastest round: the machine is shared, and a neighbour's burst should cost one
    /// round, not the result.
    /// </summary>
    private static async Task<(LoadResult Node, LoadResult Floor)> BestOfRoundsAsync(SingleNodeRig rig, (HttpClient Node, HttpClient Floor) clients, LoadShape shape, byte[] body, LoadTiming timing, int rounds)
    {
        LoadResult? node = null, floor = null;
        for (var round = 0; round < rounds; round++)
        {
            floor = LoadResult.Faster(floor, await HttpLoad.RunAsync(clients.Floor, shape, body, timing.Warmup, timing.Measure));
            node = LoadResult.Faster(node, await HttpLoad.RunAsync(clients.Node, shape, body, timing.Warmup, timing.Measure));
            await rig.Node.DrainAsync(clients.Node, body);
        }

        return (node!, floor!);
    }

    private static string Name(string what, int size, int clients, Version version)
        => string.Create(CultureInfo.InvariantCulture, $"{what} {size} B, {clients} client{(clients == 1 ? string.Empty : "s")}, HTTP/{version.ToString(version.Minor == 0 ? 1 : 2)}");

    private static void Print(string name, LoadResult node, LoadResult floor, LoadResult? chained)
    {
        Report.Rate(name, node.RequestsPerSecond, "writes/s", SingleNodeRig.FloorName, floor.RequestsPerSecond);
        Report.Latency(name, node, SingleNodeRig.FloorName, floor);
        if (chained is not null)
        {
            Report.Rate(name, node.RequestsPerSecond, "writes/s", PostgresName, chained.RequestsPerSecond);
            Report.Latency(name, node, PostgresName, chained);
        }
    }
}
