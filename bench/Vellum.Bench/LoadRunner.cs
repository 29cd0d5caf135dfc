using System.Diagnostics;

namespace Vellum.Bench;

/// <summary>
/// Drives any operation from N clients, each starting its next operation as soon as its previous
/// one completed, for a warm-up and then a measured window; HTTP and PostgreSQL loads share it,
/// so their numbers are measured the same way.
/// </summary>
internal static class LoadRunner
{
    /// <summary>Counts the operations that complete inside the measured window, their latencies, and the CPU time the process spent meanwhile.</summary>
    /// <param name="clients">One operation per client; each is called again as soon as its previous call completed, and must throw if it failed.</param>
    public static async Task<LoadResult> RunAsync(IReadOnlyList<Func<Task>> clients, TimeSpan warmup, TimeSpan measure)
    {
        var measureFrom = Stopwatch.GetTimestamp() + Ticks(warmup);
        var measureUntil = measureFrom + Ticks(measure);
        var workers = new Task<(List<long> Latencies, long Sent)>[clients.Count];
        for (var i = 0; i < workers.Length; i++)
        {
            var operation = clients[i];
            workers[i] = Task.Run(() => WorkAsync(operation, measureFrom, measureUntil));
        }

        var cpu = await CpuTimeBetweenAsync(measureFrom, measureUntil);
        var runs = await Task.WhenAll(workers);
        var latencies = runs.SelectMany(run => run.Latencies).ToArray();
        Array.Sort(latencies);
        return new LoadResult(
            latencies.Length / measure.TotalSeconds,
            Latencies.Milliseconds(latencies, 0.50),
            Latencies.Milliseconds(latencies, 0.99),
            Latencies.Milliseconds(latencies, 0.999),
            cpu.TotalMicroseconds / Math.Max(1, latencies.Length),
            runs.Sum(run => run.Sent));
    }

    private static async Task<(List<long> Latencies, long Sent)> WorkAsync(Func<Task> operation, long measureFrom, long measureUntil)
    {
        var latencies = new List<long>();
        for (long sent = 0; ; sent++)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= measureUntil)
            {
                return (latencies, sent);
            }

            await operation();
            var answered = Stopwatch.GetTimestamp();
            if (answered >= measureFrom && answered < measureUntil)
            {
                latencies.Add(answered - started);
            }
        }
    }

    private static async Task<TimeSpan> CpuTimeBetweenAsync(long from, long until)
    {
        await DelayUntilAsync(from);
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        await DelayUntilAsync(until);
        process.Refresh();
        return process.TotalProcessorTime - before;
    }

    private static Task DelayUntilAsync(long timestamp)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        return wait > TimeSpan.Zero ? Task.Delay(wait) : Task.CompletedTask;
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
