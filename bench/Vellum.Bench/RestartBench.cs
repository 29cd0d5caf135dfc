using System.Globalization;
using System.Text;

namespace Vellum.Bench;

/// <summary>
/// Restart time: a single node holding 1,000,000 and then 10,000,000 entries of 100 bytes
/// (written through the batch endpoint) is stopped and started again on its folder; the time is
/// that of <c>VellumNode.StartAsync</c>, which returns once the node serves. The floor is
/// reading every chunk file once.
/// </summary>
internal static class RestartBench
{
    private const int Clients = 8;
    private const int BatchSize = 1000;
    private const int ContentBytes = 100;

    public static async Task RunAsync(BenchSettings settings)
    {
        long[] counts = settings.Quick ? [20_000] : [1_000_000, 10_000_000];
        await using var rig = await SingleNodeRig.StartAsync(Path.Combine(settings.FreshDirectory("restart"), "node"));
        var client = rig.NodeClient();
        var entry = $"{{\"contents\":\"{new string('r', ContentBytes)}\"}}";
        var batch = Encoding.UTF8.GetBytes($"{{\"entries\":[{string.Join(',', Enumerable.Repeat(entry, BatchSize))}]}}");
        var single = SingleNodeRig.AppendBody(ContentBytes);
        foreach (var count in counts)
        {
            await FillAsync(rig, client, batch, count);
            await rig.Node.DrainAsync(client, single);
            var ledger = Path.Combine(rig.Node.Nodes[0].DataDirectory, "ledger");
            var entries = rig.Node.Primary.Node.Ledger.LastSeqno;
            var floor = ReopenBench.ReadEverything(ledger);
            var restart = await rig.Node.RestartSingleNodeAsync(rig.Logging);
            client = rig.NodeClient();
            await rig.Node.DrainAsync(client, single);
            Report.Line(string.Create(
                CultureInfo.InvariantCulture,
                $"{$"restart with {entries:N0} entries",-44} {restart.TotalSeconds,10:0.000} s      floor (read all files) {floor,10:0.000} s   ratio {floor / restart.TotalSeconds,6:0.00}   ({rig.LedgerBytes() / (double)(1 << 30):0.00} GiB of ledger files)"));
        }
    }

    /// <summary>Appends batches from <see cref="Clients"/> clients until the ledger holds at least <paramref name="count"/> entries.</summary>
    private static async Task FillAsync(SingleNodeRig rig, HttpClient client, byte[] batch, long count)
    {
        var missing = count - rig.Node.Primary.Node.Ledger.LastSeqno;
        var batches = (missing + BatchSize - 1) / BatchSize;
        var next = -1L;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < batches)
            {
                await HttpLoad.PostAsync(client, "/app/transactions/batch?api-version=2024-08-22-preview", batch);
            }
        }));
    }
}
