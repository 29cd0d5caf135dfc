using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Vellum.Bench;

/// <summary>
/// Batch appends (<c>POST /app/transactions/batch</c>) of 100-byte entries, in entries per
/// second, against the hash floor: raw SHA-256 of each entry's contents, one after the other on
/// one thread; and against single appends of the same entries from as many clients.
/// </summary>
internal static class BatchBench
{
    private const int ContentBytes = 100;
    private const int Clients = 8;
    private static readonly int[] BatchSizes = [100, 1000];

    public static async Task RunAsync(BenchSettings settings)
    {
        var timing = LoadTiming.For(settings);
        await using var rig = await SingleNodeRig.StartAsync(Path.Combine(settings.FreshDirectory("batch"), "node"));
        var client = rig.NodeClient();
        var single = SingleNodeRig.AppendBody(ContentBytes);
        var shape = new LoadShape("append", Clients, WaitForCommit: false);
        await HttpLoad.RunAsync(client, shape, single, timing.Warmup, timing.Measure);
        var singles = await HttpLoad.RunAsync(client, shape, single, timing.Warmup, timing.Measure);
        await rig.Node.DrainAsync(client, single);
        var hashes = HashFloor(timing.Measure);
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"batch: {Clients} clients, HTTP/1.1, {ContentBytes}-byte contents; hash floor: SHA-256 of each entry's contents on one thread"));
        foreach (var size in BatchSizes)
        {
            var entry = $"{{\"contents\":\"{new string('v', ContentBytes)}\"}}";
            var body = Encoding.UTF8.GetBytes($"{{\"entries\":[{string.Join(',', Enumerable.Repeat(entry, size))}]}}");
            Func<Task> post = () => HttpLoad.PostAsync(client, "/app/transactions/batch?api-version=2024-08-22-preview", body);
            var batches = await LoadRunner.RunAsync([.. Enumerable.Repeat(post, Clients)], timing.Warmup, timing.Measure);
            await rig.Node.DrainAsync(client, single);
            var name = string.Create(CultureInfo.InvariantCulture, $"batch of {size}, {Clients} clients");
            Report.Rate(name, batches.RequestsPerSecond * size, "entries/s", "sha-256 per entry", hashes);
            Report.Rate(name, batches.RequestsPerSecond * size, "entries/s", "single appends", singles.RequestsPerSecond);
            Report.Line(string.Create(CultureInfo.InvariantCulture, $"{name,-44} p50/p99/p99.9 {batches.P50Milliseconds:0.00} / {batches.P99Milliseconds:0.00} / {batches.P999Milliseconds:0.00} ms per batch"));
        }
    }

    /// <summary>SHA-256 of one entry's contents after another, through the primitive the ledger hashes with, per second.</summary>
    private static double HashFloor(TimeSpan duration)
    {
        var contents = new byte[ContentBytes];
        Array.Fill(contents, (byte)'v');
        var watch = Stopwatch.StartNew();
        long count = 0;
        while (watch.Elapsed < duration)
        {
            for (var i = 0; i < 1024; i++)
            {
                Core.Sha256Hash.Of(contents);
            }

            count += 1024;
        }

        return count / watch.Elapsed.TotalSeconds;
    }
}
