using System.Globalization;

namespace Vellum.Bench;

/// <summary>
/// Bytes on disk per write over appends from 16 clients (signatures, indexes and checkpoints
/// included), against the contents' own size and against the PostgreSQL hash-chained table holding
/// the same contents (heap, index and TOAST). Chunk bytes are measured over the chunks that closed
/// within the run, footers included; a run too short to close one (<c>--quick</c>) measures the
/// open chunk's growth, which has no footer yet.
/// </summary>
internal static class StorageBench
{
    private const int Clients = 16;

    public static async Task RunAsync(BenchSettings settings)
    {
        var root = settings.FreshDirectory("storage");
        await using var rig = await SingleNodeRig.StartAsync(Path.Combine(root, "node"));
        await using var postgres = PostgresFloor.IsInstalled ? await PostgresFloor.StartAsync(Path.Combine(root, "postgres"), Clients) : null;
        var client = rig.NodeClient();
        // Enough writes to close at least one 8 MiB chunk; PostgreSQL's bytes per row do not depend on the count.
        foreach (var (size, count, chainRows) in new[] { (100, settings.Quick ? 2_000 : 120_000, settings.Quick ? 2_000 : 20_000), (4096, settings.Quick ? 500 : 5_000, settings.Quick ? 500 : 5_000) })
        {
            // Random letters, not one repeated letter: PostgreSQL compresses values over 2 KiB, and
            // repeated bytes would make its table look small for a reason no real data shares.
            var contents = RandomLetters(size);
            var body = System.Text.Encoding.UTF8.GetBytes($"{{\"contents\":\"{System.Text.Encoding.ASCII.GetString(contents)}\"}}");
            await rig.Node.DrainAsync(client, body);
            var before = rig.LedgerBytesByKind();
            var seqnoBefore = rig.Node.Primary.Node.Ledger.LastSeqno;
            await AppendAsync(() => HttpLoad.PostAsync(client, "/app/transactions?api-version=2024-08-22-preview", body), count);
            await rig.Node.DrainAsync(client, body);
            var after = rig.LedgerBytesByKind();
            var writes = (double)(count + 1);
            var entries = rig.Node.Primary.Node.Ledger.LastSeqno - seqnoBefore;
            var closed = rig.ClosedChunksAfter(seqnoBefore);
            var chunks = closed.Entries > 0 ? closed.Bytes / (double)closed.Entries * entries / writes : (after.Chunks - before.Chunks) / writes;
            var (nodes, other) = ((after.Nodes - before.Nodes) / writes, (after.Other - before.Other) / writes);
            var perEntry = chunks + nodes + other;
            var measuredOver = closed.Entries > 0 ? $"{closed.Entries:N0} entries in closed chunks" : "the open chunk's growth, no footer yet";
            Report.Line(string.Create(
                CultureInfo.InvariantCulture,
                $"{$"storage, {size} B contents",-44} {perEntry,10:N0} bytes/entry   contents {size} B (x{perEntry / size:0.00})   {count + 1:N0} writes in {entries:N0} ledger entries ({(entries - count - 1) / (double)(count + 1):0.00} signatures per write); chunk files {chunks:N1} (over {measuredOver}), merkle.nodes {nodes:N1}, other {other:N1} bytes per write"));
            if (postgres is not null)
            {
                await postgres.TruncateAsync();
                await postgres.AppendAsync(Clients, contents, chainRows);
                var (bytes, rows) = await postgres.TableSizeAsync();
                Report.Line(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{$"storage, {size} B contents",-44} {perEntry,10:N0} bytes/entry   floor (postgres chain) {bytes / (double)rows,10:N0} bytes/row   ratio {bytes / (double)rows / perEntry,6:0.00}"));
            }
        }
    }

    private static byte[] RandomLetters(int count)
    {
        var letters = new byte[count];
        for (var i = 0; i < count; i++)
        {
            letters[i] = (byte)('a' + Random.Shared.Next(26));
        }

        return letters;
    }

    private static async Task AppendAsync(Func<Task> append, int count)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                await append();
            }
        }));
    }
}
