using System.Diagnostics;
using Vellum.Storage;

namespace Vellum.Bench;

/// <summary>Durable appends (appended and fsynced) against the raw group-commit floor, same bytes, same disk.</summary>
internal static class DurableAppendBench
{
    public static async Task RunAsync(BenchSettings settings)
    {
        using var entries = new BenchEntries();
        foreach (var (contentBytes, count) in new[] { (100, settings.Quick ? 100_000 : 1_000_000), (4096, settings.Quick ? 10_000 : 100_000) })
        {
            var writes = BenchEntries.Writes(count, contentBytes);
            var raw = writes.Where(w => w is not null).Cast<byte[]>().ToList();

            // Alternate floor and Vellum twice and keep the best of each: the machine is shared.
            double floor = 0, vellum = 0;
            for (var round = 0; round < 2; round++)
            {
                floor = Math.Max(floor, RawGroupCommit.AppendsPerSecond(settings.FreshDirectory("raw"), raw));
                vellum = Math.Max(vellum, await VellumAppendsPerSecondAsync(settings.FreshDirectory("durable"), entries, writes));
            }

            var target = contentBytes == 100 ? 200_000.0 : (double?)null;
            Report.Rate($"durable append, {contentBytes} B contents ({count:N0})", vellum, "appends/s", "raw append+fsync", floor);
            if (target is { } absolute)
            {
                Report.Line($"{string.Empty,-44} target ≥ {absolute:N0} durable appends/s: {(vellum >= absolute ? "met" : "MISSED")}");
            }
        }
    }

    private static async Task<double> VellumAppendsPerSecondAsync(string directory, BenchEntries entries, byte[]?[] writes)
    {
        await using var ledger = await Ledger.OpenAsync(new LedgerOptions { Directory = directory });
        var watch = Stopwatch.StartNew();
        await entries.AppendAllAsync(ledger, writes);
        return (writes.Length - 1) / watch.Elapsed.TotalSeconds;
    }
}
