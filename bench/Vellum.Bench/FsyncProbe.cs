using System.Diagnostics;

namespace Vellum.Bench;

/// <summary>
/// How long an fsync takes on the scratch disk just now: small appends to one file, each
/// followed by fsync, as the ledger's group commit does when it has a single entry to write.
/// The disk is shared with the machine's other work, so this moves from run to run.
/// </summary>
internal static class FsyncProbe
{
    private const int AppendBytes = 256;

    public static (double P50Milliseconds, double P99Milliseconds, int Count) Measure(string directory, TimeSpan duration)
    {
        var path = Path.Combine(directory, "fsync-probe");
        var data = new byte[AppendBytes];
        var latencies = new List<long>();
        using (var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write))
        {
            var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            for (long offset = 0; Stopwatch.GetTimestamp() < until; offset += AppendBytes)
            {
                RandomAccess.Write(handle, data, offset);
                var started = Stopwatch.GetTimestamp();
                RandomAccess.FlushToDisk(handle);
                latencies.Add(Stopwatch.GetTimestamp() - started);
            }
        }

        File.Delete(path);
        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return (Latencies.Milliseconds(sorted, 0.50), Latencies.Milliseconds(sorted, 0.99), sorted.Length);
    }
}
