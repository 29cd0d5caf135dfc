using System.Diagnostics;

namespace Vellum.Bench;

/// <summary>Percentiles of latencies measured in <see cref="Stopwatch"/> ticks.</summary>
internal static class Latencies
{
    /// <summary>Nearest rank: the smallest latency that at least <paramref name="fraction"/> of the sorted samples do not exceed, in milliseconds.</summary>
    public static double Milliseconds(long[] sorted, double fraction)
    {
        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("Nothing completed inside the measured window.");
        }

        var index = Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1);
        return sorted[index] * 1000.0 / Stopwatch.Frequency;
    }
}
