using Vellum.Bench;

// Every benchmark prints its rate next to a floor measured in the same run, and the ratio.
var suites = new Dictionary<string, Func<BenchSettings, Task>>(StringComparer.Ordinal)
{
    ["merkle"] = MerkleBench.RunAsync,
    ["durable"] = DurableAppendBench.RunAsync,
    ["reopen"] = ReopenBench.RunAsync,
    ["restart"] = RestartBench.RunAsync,
    ["audit"] = AuditBench.RunAsync,
    ["appends"] = AppendMatrixBench.RunAsync,
    ["batch"] = BatchBench.RunAsync,
    ["reads"] = ReadBench.RunAsync,
    ["storage"] = StorageBench.RunAsync,
    ["cluster"] = ClusterBench.RunAsync,
    ["paired"] = PairedBench.RunAsync,
};

BenchSettings settings;
try
{
    settings = BenchSettings.Parse(args);
}
catch (FormatException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

if (settings.Suite is not null && settings.Suite != "all" && !suites.ContainsKey(settings.Suite))
{
    Console.Error.WriteLine($"Unknown benchmark \"{settings.Suite}\". Choose one of: {string.Join(", ", suites.Keys)}, or all (the default).");
    return 2;
}

Console.WriteLine($"Vellum benchmarks, {Environment.ProcessorCount} cores, .NET {Environment.Version}, scratch directory {settings.ScratchDirectory}{(settings.Quick ? ", quick (a smoke test: the numbers mean nothing)" : string.Empty)}");
var failed = new List<string>();
foreach (var (name, run) in suites)
{
    if (settings.Suite is null or "all" || settings.Suite == name)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await run(settings);
        }
#pragma warning disable CA1031 // A failing scenario is reported and fails the run, after the others have run.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"{name} FAILED: {exception}");
            failed.Add(name);
        }

        Console.WriteLine($"({name}: {watch.Elapsed.TotalSeconds:0} s)");
    }
}

if (failed.Count > 0)
{
    Console.Error.WriteLine($"Failed: {string.Join(", ", failed)}");
    return 1;
}

return 0;
