using Vellum.Bench;

// Every benchmark prints its rate next to a floor measured in the same run, and the ratio.
var suites = new Dictionary<string, Func<BenchSettings, Task>>(StringComparer.Ordinal)
{
    ["merkle"] = MerkleBench.RunAsync,
    ["durable"] = DurableAppendBench.RunAsync,
    ["reopen"] = ReopenBench.RunAsync,
    ["audit"] = AuditBench.RunAsync,
    ["cluster"] = ClusterBench.RunAsync,
};

var settings = BenchSettings.Parse(args);
if (settings.Suite is not null && !suites.ContainsKey(settings.Suite))
{
    Console.Error.WriteLine($"Unknown benchmark \"{settings.Suite}\". Choose one of: {string.Join(", ", suites.Keys)}, or none for all.");
    return 2;
}

Console.WriteLine($"Vellum benchmarks, {Environment.ProcessorCount} cores, .NET {Environment.Version}, scratch directory {settings.ScratchDirectory}");
foreach (var (name, run) in suites)
{
    if (settings.Suite is null || settings.Suite == name)
    {
        await run(settings);
    }
}

return 0;
