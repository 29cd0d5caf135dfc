using System.Globalization;
using System.Text;
using Vellum.Core;

namespace Vellum.Bench;

/// <summary>
/// Receipt fetches (<c>GET /app/transactions/{id}/receipt</c>) of committed entries and range
/// reads (<c>GET /app/transactions?collectionId=&amp;fromTransactionId=&amp;toTransactionId=</c>, a
/// full page) from one node, against the HTTP floor answering the same GETs.
/// </summary>
internal static class ReadBench
{
    private const int Clients = 16;
    private const string Collection = "reads";
    private const string Version = "api-version=2024-08-22-preview";

    public static async Task RunAsync(BenchSettings settings)
    {
        var timing = LoadTiming.For(settings);
        var count = settings.Quick ? 500 : 5000;
        await using var rig = await SingleNodeRig.StartAsync(Path.Combine(settings.FreshDirectory("reads"), "node"));
        var client = rig.NodeClient();
        var floorClient = rig.FloorClient();
        var ids = await WriteAsync(client, count);

        var receipts = PerClient(ids, id => $"/app/transactions/{id}/receipt?{Version}");
        var ranges = PerClient(ids, id => $"/app/transactions?collectionId={Collection}&fromTransactionId={id}&toTransactionId={ids[^1]}&{Version}");
        Report.Line(string.Create(CultureInfo.InvariantCulture, $"reads: {count:N0} committed 100-byte entries, {Clients} clients, HTTP/1.1; each client walks its own share of the ids"));
        foreach (var (name, paths) in new[] { ("receipt fetch", receipts), ("range read (one page)", ranges) })
        {
            await LoadRunner.RunAsync(Operations(client, paths), timing.Warmup, timing.Measure);
            var floor = await LoadRunner.RunAsync(Operations(floorClient, paths), timing.Warmup, timing.Measure);
            var node = await LoadRunner.RunAsync(Operations(client, paths), timing.Warmup, timing.Measure);
            Report.Rate($"{name}, {Clients} clients", node.RequestsPerSecond, "reads/s ", SingleNodeRig.FloorName, floor.RequestsPerSecond);
            Report.Latency($"{name}, {Clients} clients", node, SingleNodeRig.FloorName, floor);
        }
    }

    /// <summary>Appends <paramref name="count"/> entries from <see cref="Clients"/> clients, then one more that waits, so every one is committed and covered by a signature.</summary>
    private static async Task<TransactionId[]> WriteAsync(HttpClient client, int count)
    {
        var body = SingleNodeRig.AppendBody(100);
        var ids = new TransactionId[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                using var response = await client.PostAsync($"/app/transactions?collectionId={Collection}&{Version}", content);
                response.EnsureSuccessStatusCode();
                ids[i] = TransactionId.Parse(response.Headers.GetValues("x-ms-ccf-transaction-id").Single());
            }
        }));
        await HttpLoad.PostAsync(client, $"/app/transactions?waitForCommit=true&{Version}", Encoding.UTF8.GetBytes("{\"contents\":\"last\"}"));
        await HttpLoad.PostAsync(client, $"/app/transactions?waitForCommit=true&{Version}", Encoding.UTF8.GetBytes("{\"contents\":\"covers the last\"}"));
        Array.Sort(ids, (a, b) => a.Seqno.CompareTo(b.Seqno));
        return ids;
    }

    private static string[][] PerClient(TransactionId[] ids, Func<TransactionId, string> path)
        => [.. Enumerable.Range(0, Clients).Select(c => ids.Where((_, i) => i % Clients == c).Select(path).ToArray())];

    private static List<Func<Task>> Operations(HttpClient client, string[][] paths)
        => [.. paths.Select(mine =>
        {
            var next = 0;
            return (Func<Task>)(() => HttpLoad.GetAsync(client, mine[next++ % mine.Length]));
        })];
}
