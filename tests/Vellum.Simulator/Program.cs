using System.Globalization;

namespace Vellum.Simulator;

/// <summary>
/// <c>dotnet run -c Release --project tests/Vellum.Simulator -- --seeds N --from S [--nodes 3|5|7] [--verbose]</c>:
/// runs seeds S to S+N−1 and prints a summary, and for each failure the seed, the checker, the
/// last trace lines and the command that replays it. Exits 1 when a seed fails, 2 on bad usage.
/// </summary>
public static class Program
{
    private const string Usage = "usage: Vellum.Simulator --seeds N --from S [--nodes 3|5|7] [--verbose]";

    /// <summary>Runs the command.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (!TryParse(args, out var seeds, out var from, out var nodes, out var verbose))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        return verbose ? RunVerbose(seeds, from, nodes) : RunQuiet(seeds, from, nodes);
    }

    private static int RunQuiet(int seeds, int from, int? nodes)
    {
        var step = Math.Max(1, seeds / 20);
        var summary = SeedRunner.Run(from, seeds, nodes, done =>
        {
            if (done % step == 0 || done == seeds)
            {
                Console.WriteLine($"{done}/{seeds} seeds run");
            }
        });
        foreach (var failure in summary.Failures)
        {
            Console.WriteLine();
            Console.WriteLine(SeedRunner.Describe(failure));
        }

        Console.WriteLine();
        Console.WriteLine($"{summary.Seeds - summary.Failures.Count} of {summary.Seeds} seeds passed in {summary.Elapsed.TotalSeconds:F1} s (seeds {from} to {from + seeds - 1}).");
        Console.WriteLine($"Exercised: {summary.Statistics}.");
        if (summary.Failures.Count > 0)
        {
            Console.WriteLine($"Failing seeds: {string.Join(", ", summary.Failures.Select(failure => failure.Settings.Seed))}");
        }

        return summary.Failures.Count == 0 ? 0 : 1;
    }

    private static int RunVerbose(int seeds, int from, int? nodes)
    {
        var failed = 0;
        for (var seed = from; seed < from + seeds; seed++)
        {
            var settings = new SimulationSettings(seed, nodes ?? SimulationSettings.DefaultNodesFor(seed), SeedRunner.FailureTraceLines, Console.Out);
            var result = Simulation.Run(settings);
            Console.WriteLine($"seed {seed}: {(result.Passed ? "passed" : $"FAILED {result.Checker}")}, trace hash {result.TraceHash:x16}, {result.Statistics}");
            if (!result.Passed)
            {
                failed++;
                Console.WriteLine(SeedRunner.Describe(result));
            }
        }

        return failed == 0 ? 0 : 1;
    }

    private static bool TryParse(string[] args, out int seeds, out int from, out int? nodes, out bool verbose)
    {
        (seeds, from, nodes, verbose) = (1, 1, null, false);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--verbose":
                    verbose = true;
                    break;
                case "--seeds" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var n) && n > 0:
                    seeds = n;
                    break;
                case "--from" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var s) && s >= 0:
                    from = s;
                    break;
                case "--nodes" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out var k) && k is 3 or 5 or 7:
                    nodes = k;
                    break;
                default:
                    return false;
            }
        }

        return (long)from + seeds - 1 <= int.MaxValue;
    }
}
