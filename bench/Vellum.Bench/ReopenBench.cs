using System.Diagnostics;
using Vellum.Storage;

namespace Vellum.Bench;

/// <summary>Reopening a ledger of many small entries, with its checkpoint and without, against reading its files raw.</summary>
internal static class ReopenBench
{
    public static async Task RunAsync(BenchSettings settings)
    {
        var count = settings.Quick ? 100_000 : 1_000_000;
        var directory = settings.FreshDirectory("reopen");
        using (var entries = new BenchEntries())
        {
            await using var ledger = await Ledger.OpenAsync(new LedgerOptions { Directory = directory });
            await entries.AppendAllAsync(ledger, BenchEntries.Writes(count, 100));
        }

        var floor = count / ReadEverything(directory);
        var withCheckpoint = count / await SecondsToOpenAsync(directory, count);
        Report.Rate($"reopen {count:N0} entries, with checkpoint", withCheckpoint, "entries/s", "read all files", floor);
        File.Delete(Path.Combine(directory, "checkpoint"));
        var rebuilt = count / await SecondsToOpenAsync(directory, count);
        Report.Rate($"reopen {count:N0} entries, tree rebuilt", rebuilt, "entries/s", "read all files", floor);
        Report.Line($"{string.Empty,-44} seconds to reopen: {count / withCheckpoint:0.000} with checkpoint, {count / rebuilt:0.000} rebuilding");
    }

    private static async Task<double> SecondsToOpenAsync(string directory, long expectedLastSeqno)
    {
        var watch = Stopwatch.StartNew();
        await using var ledger = await Ledger.OpenAsync(new LedgerOptions { Directory = directory });
        var seconds = watch.Elapsed.TotalSeconds;
        if (ledger.LastSeqno != expectedLastSeqno)
        {
            throw new InvalidOperationException($"Reopened {ledger.LastSeqno} entries, expected {expectedLastSeqno}.");
        }

        return seconds;
    }

    /// <summary>Seconds to read every chunk file under <paramref name="directory"/> once, sequentially, in 1 MiB reads.</summary>
    public static double ReadEverything(string directory)
    {
        var buffer = new byte[1 << 20];
        var watch = Stopwatch.StartNew();
        foreach (var path in Directory.EnumerateFiles(directory, "ledger_*", SearchOption.AllDirectories))
        {
            using var stream = File.OpenRead(path);
            while (stream.Read(buffer) > 0)
            {
            }
        }

        return watch.Elapsed.TotalSeconds;
    }
}
