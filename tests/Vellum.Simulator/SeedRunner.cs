using System.Diagnostics;

namespace Vellum.Simulator;

/// <summary>Runs a range of seeds, in parallel, and gathers what failed.</summary>
public static class SeedRunner
{
    /// <summary>How many trace lines a failure report shows.</summary>
    public const int FailureTraceLines = 40;

    /// <summary>
    /// Runs seeds <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> − 1,
    /// each with <paramref name="nodes"/> founders or, when null, the seed's default. A failing
    /// seed is run again keeping its trace; if that run differs, the report says so.
    /// </summary>
    /// <param name="from">The first seed.</param>
    /// <param name="count">How many seeds.</param>
    /// <param name="nodes">The founding voters, or null for 3, 5 and 7 in turn.</param>
    /// <param name="progress">Called after each seed with the number done so far (from any thread).</param>
    public static SeedRunSummary Run(int from, int count, int? nodes, Action<int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var clock = Stopwatch.StartNew();
        var results = new SimulationResult[count];
        var done = 0;
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, offset =>
        {
            var seed = from + offset;
            results[offset] = Simulation.Run(new SimulationSettings(seed, nodes ?? SimulationSettings.DefaultNodesFor(seed)));
            progress?.Invoke(Interlocked.Increment(ref done));
        });

        var statistics = new SimulationStatistics();
        var failures = new List<SimulationResult>();
        foreach (var result in results)
        {
            statistics.Add(result.Statistics);
            if (!result.Passed)
            {
                var replayed = Simulation.Run(result.Settings with { TraceLines = FailureTraceLines });
                failures.Add(replayed.TraceHash == result.TraceHash
                    ? replayed
                    : result with { Message = $"{result.Message} [NOT DETERMINISTIC: run again, the seed gave trace hash {replayed.TraceHash:x16} instead of {result.TraceHash:x16}]" });
            }
        }

        return new SeedRunSummary(count, failures, statistics, clock.Elapsed);
    }

    /// <summary>The report of one failed seed: the seed, the checker, the last trace lines and the replay command.</summary>
    public static string Describe(SimulationResult failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var lines = new List<string>
        {
            $"seed {failure.Settings.Seed} ({failure.Settings.Nodes} nodes) failed {failure.Checker}: {failure.Message}",
            $"  last {failure.TraceTail.Count} trace lines:",
        };
        lines.AddRange(failure.TraceTail.Select(line => "    " + line));
        lines.Add($"  replay: {failure.Settings.ReplayCommand}");
        return string.Join(Environment.NewLine, lines);
    }
}
